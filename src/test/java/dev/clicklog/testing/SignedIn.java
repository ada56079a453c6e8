package dev.clicklog.testing;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.restassured.specification.RequestSpecification;

/**
 * The portal refuses anyone not signed in; most tests are about something else and call it as its
 * administrator. Before each {@code @QuarkusTest} method this installs a RestAssured filter that
 * signs requests to the portal under test (its port, nothing else: localaws and invoke URLs are
 * left alone) that carry no credentials of their own: {@code /api} with the administrator's Basic
 * credentials, pages with a session cookie from signing in at /sign-in. Tests of access itself use
 * {@link #anonymous()} or credentials of their own.
 */
public class SignedIn implements QuarkusTestBeforeEachCallback {

    /** The administrator's password in the test profile (clicklog.auth.admin-password). */
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String SESSION_COOKIE = "clicklog_session";

    private static final AsAdministrator FILTER = new AsAdministrator();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        FILTER.session = null;
        install();
    }

    /** Installs the filter now: for calls made before the first test method runs ({@code @BeforeAll}). */
    public static void install() {
        if (!RestAssured.filters().contains(FILTER)) {
            RestAssured.filters(FILTER);
        }
    }

    /** A request with no credentials at all (the filter is off). */
    public static RequestSpecification anonymous() {
        return given().noFilters();
    }

    /** A request with a user's Basic credentials. */
    public static RequestSpecification basic(String user, String password) {
        return given().noFilters().header("Authorization", basicHeader(user, password));
    }

    /** A request with an access token. */
    public static RequestSpecification bearer(String token) {
        return given().noFilters().header("Authorization", "Bearer " + token);
    }

    /** A request with a session cookie. */
    public static RequestSpecification session(String cookie) {
        return given().noFilters().cookie(SESSION_COOKIE, cookie);
    }

    public static String basicHeader(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Signs in at /sign-in and answers the session cookie's value. */
    public static String signIn(String user, String password) {
        return signIn(given().noFilters(), user, password);
    }

    /** Signs in at /sign-in of the portal at {@code root} and answers the session cookie's value. */
    public static String signIn(URI root, String user, String password) {
        return signIn(given().noFilters().baseUri(root.toString()), user, password);
    }

    private static String signIn(RequestSpecification portal, String user, String password) {
        Response r = portal.contentType(ContentType.URLENC).formParam("username", user)
                .formParam("password", password).redirects().follow(false).post("/sign-in");
        if (r.statusCode() != 303 || r.cookie(SESSION_COOKIE) == null) {
            throw new AssertionError("sign-in as " + user + " answered " + r.statusCode() + ": " + r.asString());
        }
        return r.cookie(SESSION_COOKIE);
    }

    /** Signs a browser page in through the sign-in form of the portal at {@code root} (ending with /). */
    public static void signIn(Page page, String root, String user, String password) {
        page.navigate(root + "sign-in");
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(url -> !url.contains("/sign-in"));
    }

    private static final class AsAdministrator implements Filter {

        /**
         * A session is good for the app it was opened with only. A JVM that ran several apps (test
         * profiles, each with its own class loader) holds one of these filters per app in RestAssured's
         * one list of filters, so a filter may meet an app started after its session was opened.
         */
        private record AppSession(int port, String secret) {
        }

        private volatile AppSession session;

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            boolean portal = request.getPort() == RestAssured.port;
            boolean credentials = request.getHeaders().hasHeaderWithName("Authorization")
                    || request.getCookies().hasCookieWithName(SESSION_COOKIE);
            if (portal && !credentials) {
                String path = request.getDerivedPath();
                if (path.startsWith("/api/") || path.equals("/api")) {
                    request.header("Authorization", basicHeader(ADMIN, ADMIN_PASSWORD));
                } else if (!path.startsWith("/sign-in")) {
                    AppSession current = session;
                    if (current == null || current.port() != request.getPort()) {
                        current = new AppSession(request.getPort(), signIn(ADMIN, ADMIN_PASSWORD));
                        session = current;
                    }
                    request.cookie(SESSION_COOKIE, current.secret());
                }
            }
            return context.next(request, response);
        }
    }
}
