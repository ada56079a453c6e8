package dev.clicklog.portal.web.ui;

import java.util.ArrayList;
import java.util.List;

/** Folder navigation in a pipeline's S3 prefix: the breadcrumbs of a folder, the folder of a key. */
public final class Folders {

    /** One step of the breadcrumbs: a folder's name and its prefix (relative to the pipeline's prefix). */
    public record Crumb(String name, String prefix) {
    }

    private Folders() {
    }

    /** The folders from the pipeline's prefix down to {@code prefix}: {@code year=2025/month=01/} → year=2025, month=01. */
    static List<Crumb> crumbs(String prefix) {
        List<Crumb> crumbs = new ArrayList<>();
        int from = 0;
        for (int slash = prefix.indexOf('/'); slash >= 0; slash = prefix.indexOf('/', from)) {
            crumbs.add(new Crumb(prefix.substring(from, slash), prefix.substring(0, slash + 1)));
            from = slash + 1;
        }
        return crumbs;
    }

    /** The folder a key is in: {@code year=2025/a.json} → {@code year=2025/}. */
    static String parent(String key) {
        return key.substring(0, key.lastIndexOf('/') + 1);
    }
}
