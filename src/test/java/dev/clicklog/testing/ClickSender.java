package dev.clicklog.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A client sending numbered clicks ({@code {"id":N,…}}) to an invoke URL one after the other, without
 * pause, from its own thread, counting which the gateway accepted (200) and how it refused the
 * others (by status). It sends an API key once given one, as a client of a pipeline that requires
 * it would. {@link #idsInS3} counts the ids back in the pipeline's objects.
 */
public final class ClickSender implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private final String url;
    private final String origin;
    private final AtomicReference<String> apiKey = new AtomicReference<>();
    private final Set<Integer> accepted = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Integer> refused = new ConcurrentHashMap<>();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final Thread thread;

    private ClickSender(String url, String origin) {
        this.url = url;
        this.origin = origin;
        this.thread = new Thread(this::send, "click-sender");
    }

    /** Starts sending to {@code url} with this {@code Origin} header. */
    public static ClickSender start(String url, String origin) {
        ClickSender sender = new ClickSender(url, origin);
        sender.thread.start();
        return sender;
    }

    private void send() {
        for (int id = 0; sending.get(); id++) {
            RequestSpecification request = given().contentType(ContentType.JSON).header("Origin", origin)
                    .body("{\"id\":" + id + ",\"page\":\"/checkout\"}");
            String key = apiKey.get();
            if (key != null) {
                request.header("x-api-key", key);
            }
            int status = request.when().put(url).statusCode();
            if (status == 200) {
                accepted.add(id);
            } else {
                refused.merge(status, 1, Integer::sum);
            }
        }
    }

    /** From now on every click carries this API key. */
    public void useKey(String key) {
        apiKey.set(key);
    }

    /** Waits (at most a minute) until {@code more} clicks were accepted after those accepted so far. */
    public void awaitAccepted(int more) {
        int before = accepted.size();
        await().atMost(Duration.ofMinutes(1)).until(() -> accepted.size() >= before + more);
    }

    /** Stops sending, once the click on its way is answered. */
    @Override
    public void close() throws InterruptedException {
        sending.set(false);
        thread.join();
    }

    /** The ids of the clicks the gateway accepted. */
    public Set<Integer> accepted() {
        return Set.copyOf(accepted);
    }

    /** How many clicks were refused, by HTTP status. */
    public Map<Integer, Integer> refused() {
        return new TreeMap<>(refused);
    }

    /** Every click id in the bucket's objects under the prefix, with how often it appears. */
    public static Map<Integer, Integer> idsInS3(S3Client s3, String bucket, String prefix) {
        Map<Integer, Integer> ids = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            String body = new String(s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray(),
                    StandardCharsets.UTF_8);
            Matcher m = ID.matcher(body);
            while (m.find()) {
                ids.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return ids;
    }
}
