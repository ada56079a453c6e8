package dev.clicklog.localaws.s3;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.clicklog.endpoint.LocalEndpoint;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Applies buckets' lifecycle rules, as S3 does in the background: expires objects, moves them to
 * another storage class, and aborts multipart uploads left incomplete. S3 evaluates rules about
 * once a day and acts on objects some time after they become eligible; this sweep runs every
 * {@code clicklog.localaws.s3.lifecycle-interval}.
 */
@ApplicationScoped
class LifecycleSweeper {

    private static final Logger LOG = Logger.getLogger(LifecycleSweeper.class);
    private static final Duration DAY = LifecycleRule.DAY;

    private final S3Service store;

    LifecycleSweeper(S3Service store) {
        this.store = store;
    }

    @Scheduled(every = "${clicklog.localaws.s3.lifecycle-interval}", delayed = "${clicklog.localaws.s3.lifecycle-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotLocal.class)
    void run() {
        sweep(Instant.now());
    }

    /** Applies every bucket's enabled rules as of {@code now}. */
    void sweep(Instant now) {
        for (Bucket bucket : store.buckets()) {
            List<LifecycleRule> rules = LifecycleRule.enabled(bucket.lifecycleRules);
            if (!rules.isEmpty()) {
                sweep(bucket, rules, now);
            }
        }
    }

    private void sweep(Bucket bucket, List<LifecycleRule> rules, Instant now) {
        int expired = 0;
        for (S3Object object : bucket.objects.values()) {
            String storageClass = null;
            Instant transitionedAt = Instant.MIN;
            boolean expire = false;
            for (LifecycleRule rule : rules) {
                if (!rule.filter().matches(object)) {
                    continue;
                }
                if (rule.expiration().isPresent() && !now.isBefore(rule.expiration().get().at(object.lastModified(), DAY))) {
                    expire = true;
                }
                // Of the transitions due, the one due last is where the object is now.
                for (LifecycleRule.Transition t : rule.transitions()) {
                    Instant at = t.when().at(object.lastModified(), DAY);
                    if (!now.isBefore(at) && at.isAfter(transitionedAt)) {
                        transitionedAt = at;
                        storageClass = t.storageClass();
                    }
                }
            }
            if (expire) {
                if (store.expire(bucket, object)) {
                    expired++;
                }
            } else if (storageClass != null && !storageClass.equals(object.metadata().storageClass())) {
                store.changeStorageClass(bucket, object, storageClass);
            }
        }
        for (MultipartUpload upload : bucket.uploads.values()) {
            for (LifecycleRule rule : rules) {
                if (rule.abortUploadsAfterDays().isPresent() && upload.key.startsWith(rule.filter().prefix())
                        && rule.filter().tags().isEmpty()
                        && !now.isBefore(new LifecycleRule.When(rule.abortUploadsAfterDays().get(), null)
                                .at(upload.initiated, DAY))) {
                    store.abortUpload(bucket, upload);
                    break;
                }
            }
        }
        if (expired > 0) {
            LOG.debugf("s3: lifecycle expired %d objects of %s", expired, bucket.name);
        }
    }

    /** Only the embedded endpoint has buckets to sweep; in aws mode S3 itself applies the rules. */
    @Singleton
    static class NotLocal implements Scheduled.SkipPredicate {

        private final LocalEndpoint endpoint;

        NotLocal(LocalEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !endpoint.embedded();
        }
    }
}
