package dev.clicklog.portal.pipeline.step;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.StreamAdapter.Stream;
import dev.clicklog.portal.pipeline.Compression;
import dev.clicklog.portal.pipeline.PipelineSpec;

/** What the stream step does next, worked out from what it sees and the spec alone, without AWS. */
class StreamStepDiffTest {

    private static final String MANAGED = "alias/aws/kinesis";

    @Test
    void largeReshardsGoInTheStepsUpdateShardCountAllows() {
        assertEquals(List.of(2, 4, 8, 16, 32, 64), path(1, 64));
        assertEquals(List.of(32, 16, 8, 4, 2, 1), path(64, 1));
        assertEquals(List.of(2, 3), path(1, 3));
        assertEquals(List.of(2, 1), path(3, 1), "half of three, rounded up, then one");
        assertEquals(List.of(4), path(2, 4));
        assertEquals(List.of(2), path(4, 2));
    }

    @Test
    void oneChangeAtATimeInTheOrderKinesisTakesThem() {
        PipelineSpec spec = spec(4, false, 48);
        assertEquals(new StreamStep.Create(), StreamStep.diff(spec, null, false));
        assertEquals(new StreamStep.Settle("UPDATING"), StreamStep.diff(spec, stream("UPDATING", true, 1, 24), true));
        assertEquals(new StreamStep.SetMode(false), StreamStep.diff(spec, stream("ACTIVE", true, 4, 24), true));
        assertEquals(new StreamStep.Reshard(1, 2, 4), StreamStep.diff(spec, stream("ACTIVE", false, 1, 24), true));
        assertEquals(new StreamStep.SetRetention(24, 48), StreamStep.diff(spec, stream("ACTIVE", false, 4, 24), true));
        assertEquals(new StreamStep.Tag(), StreamStep.diff(spec, stream("ACTIVE", false, 4, 48), false));
        assertEquals(new StreamStep.InPlace(), StreamStep.diff(spec, stream("ACTIVE", false, 4, 48), true));
    }

    @Test
    void anOnDemandStreamHasNoShardCountToMatch() {
        PipelineSpec spec = spec(null, true, 24);
        assertEquals(new StreamStep.InPlace(), StreamStep.diff(spec, stream("ACTIVE", true, 7, 24), true));
        assertEquals(new StreamStep.SetMode(true), StreamStep.diff(spec, stream("ACTIVE", false, 2, 24), true));
    }

    @Test
    void aStreamWithoutTheManagedKeyIsEncrypted() {
        Stream plain = new Stream("s", "arn", "ACTIVE", false, 1, 24, false, null);
        assertEquals(new StreamStep.Encrypt(null), StreamStep.diff(spec(1, false, 24), plain, true));
    }

    private static List<Integer> path(int from, int to) {
        List<Integer> steps = new ArrayList<>();
        for (int n = from; n != to; ) {
            n = StreamStep.nextShardCount(n, to);
            steps.add(n);
        }
        return steps;
    }

    private static PipelineSpec spec(Integer shards, boolean onDemand, int retention) {
        return new PipelineSpec("p", "t", null, shards, onDemand, retention, 5, 60, Compression.NONE, "clicks/",
                List.of("*"), false, null, null, null);
    }

    private static Stream stream(String status, boolean onDemand, int shards, int retention) {
        return new Stream("s", "arn", status, onDemand, shards, retention, true, MANAGED);
    }
}
