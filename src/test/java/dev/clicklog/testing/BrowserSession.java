package dev.clicklog.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's Chromium, headless, driven by Playwright for Java — the system browser, never one
 * Playwright downloads (the build sets PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD). The machine's network is
 * closed, so Chromium's own background traffic is switched off. Every page opened records the
 * JavaScript dialogs it shows (an {@code alert} from injected markup would be one) and the errors
 * its console reports (a script that failed, anything the Content Security Policy blocked, an
 * asset or an htmx request that failed): a test asserts there were none.
 */
public final class BrowserSession implements AutoCloseable {

    public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final Browser browser;
    private final List<String> dialogs = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private BrowserSession(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static BrowserSession launch() {
        Playwright playwright = Playwright.create();
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(ARGS));
            return new BrowserSession(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A page in a fresh context (no cookies, no cache) with a viewport this wide. */
    public Page page(int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        context.setDefaultTimeout(15_000);
        Page page = context.newPage();
        page.onDialog(dialog -> {
            dialogs.add(dialog.type() + ": " + dialog.message());
            dialog.dismiss();
        });
        page.onConsoleMessage(message -> {
            // A page answered with 4xx on purpose (a form sent back with errors) is logged too: the
            // responses are judged below, by what they were for.
            if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                errors.add(page.url() + ": " + message.text());
            }
        });
        page.onPageError(error -> errors.add(page.url() + ": " + error));
        page.onResponse(response -> {
            if (response.status() >= 400 && !response.request().resourceType().equals("document")) {
                errors.add(page.url() + ": " + response.request().resourceType() + " " + response.url() + " answered "
                        + response.status());
            }
        });
        return page;
    }

    /** A page as {@link #page} makes it, signed in to the portal at {@code root} (ending with /) as its administrator. */
    public Page signedIn(int width, int height, String root) {
        Page page = page(width, height);
        SignedIn.signIn(page, root, SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD);
        return page;
    }

    /** Every dialog any page of this session opened, as "type: message". */
    public List<String> dialogs() {
        return List.copyOf(dialogs);
    }

    /** Every console error and uncaught script error of any page of this session. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** The whole page (not just the viewport) as {@code target/screenshots/<name>.png}. */
    public static Path screenshot(Page page, String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(file));
        return file;
    }

    /** How wide the page's content is: wider than the viewport means the page scrolls sideways. */
    public static int scrollWidth(Page page) {
        return ((Number) page.evaluate("document.documentElement.scrollWidth")).intValue();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
