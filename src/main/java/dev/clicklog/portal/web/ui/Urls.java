package dev.clicklog.portal.web.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.quarkus.qute.TemplateExtension;

/**
 * The pages' addresses, built in one place: {@code {url:objects(p.name, prefix)}} in a template.
 * Pipeline names are URL-safe by their rule; folder prefixes, keys and tokens are encoded.
 */
@TemplateExtension(namespace = "url")
public final class Urls {

    private Urls() {
    }

    public static String pipeline(String name) {
        return "/pipelines/" + name;
    }

    public static String page(String name, String page) {
        return pipeline(name) + "/" + page;
    }

    public static String metrics(String name, String window) {
        return page(name, "metrics") + "?window=" + encode(window);
    }

    public static String objects(String name, String prefix) {
        return page(name, "objects") + (prefix == null || prefix.isEmpty() ? "" : "?prefix=" + encode(prefix));
    }

    /** Another page of a folder's listing, of as many entries as asked ({@code limit} null: the default). */
    public static String objectsPage(String name, String prefix, String token, String limit) {
        return page(name, "objects") + "?prefix=" + encode(prefix) + (token == null ? "" : "&continuationToken=" + encode(token))
                + (limit == null ? "" : "&limit=" + encode(limit));
    }

    public static String preview(String name, String key) {
        return page(name, "objects/preview") + "?key=" + encode(key);
    }

    /** Download: the portal answers with a fresh presigned link to the object. */
    public static String download(String name, String key) {
        return page(name, "objects/download") + "?key=" + encode(key);
    }

    /** The Records page: the newest clicks passing {@code filter}, or those before {@code before} (null: the newest). */
    public static String records(String name, String filter, Instant before) {
        String query = (filter == null || filter.isEmpty() ? "" : "&filter=" + encode(filter))
                + (before == null ? "" : "&before=" + encode(before.toString()));
        return page(name, "records") + (query.isEmpty() ? "" : "?" + query.substring(1));
    }

    /** The Records page's live clicks: rows pushed as Server-Sent Events, from {@code since} on. */
    public static String recordsStream(String name, String filter, Instant since) {
        return page(name, "records/stream") + "?since=" + encode(since.toString())
                + (filter == null || filter.isEmpty() ? "" : "&filter=" + encode(filter));
    }

    public static String activity(String name, String field) {
        return page(name, "records/activity") + (field == null || field.isEmpty() ? "" : "?field=" + encode(field));
    }

    public static String whole(String name, String shard, String sequence) {
        return page(name, "records/whole") + "?shard=" + encode(shard) + "&sequence=" + encode(sequence);
    }

    public static String refusedRows(String name) {
        return page(name, "refused/rows");
    }

    /** The sign-in page, coming back to {@code next} (a path of the portal) afterwards; null: to the pipelines. */
    public static String signIn(String next) {
        return "/sign-in" + (next == null || next.isEmpty() || next.equals("/") ? "" : "?next=" + encode(next));
    }

    public static String team(String team) {
        return "/?team=" + encode(team);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
