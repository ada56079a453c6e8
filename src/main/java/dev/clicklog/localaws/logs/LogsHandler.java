package dev.clicklog.localaws.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.logs.LogsInput.DescribeGroups;
import dev.clicklog.localaws.logs.LogsInput.DescribeStreams;
import dev.clicklog.localaws.logs.LogsInput.GetEvents;
import dev.clicklog.localaws.logs.LogsInput.NewGroup;
import dev.clicklog.localaws.logs.LogsInput.Put;
import dev.clicklog.localaws.logs.LogsInput.Retention;
import dev.clicklog.localaws.logs.LogsInput.StreamRef;
import dev.clicklog.localaws.logs.LogsService.EventsPage;
import dev.clicklog.localaws.logs.LogsService.FilterResult;
import dev.clicklog.localaws.logs.LogsService.Found;
import dev.clicklog.localaws.logs.LogsService.GroupPage;
import dev.clicklog.localaws.logs.LogsService.GroupView;
import dev.clicklog.localaws.logs.LogsService.PutResult;
import dev.clicklog.localaws.logs.LogsService.StreamPage;
import dev.clicklog.localaws.logs.LogsService.StreamView;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.JsonProtocol.RegionalAction;

/**
 * CloudWatch Logs over its JSON 1.1 wire (target prefix Logs_20140328, signing name logs): reads
 * requests, calls {@link LogsService}, and writes the answers in the shapes of the botocore model.
 * Serves log groups (create, describe, delete, retention, tags — by ARN and the older by-name
 * operations the AWS CLI still offers), log streams, PutLogEvents, GetLogEvents and
 * FilterLogEvents with the filter-pattern syntax ({@link FilterPattern}). Every other operation —
 * metric and subscription filters, Logs Insights queries, exports, deliveries, data protection —
 * answers UnknownOperationException, as CloudWatch Logs answers an operation it does not know.
 */
@ApplicationScoped
public class LogsHandler implements ServiceHandler {

    static final String TARGET_PREFIX = "Logs_20140328";


    private final LogsService service;
    private final LocalAwsConfig config;
    private final RouteTable<RegionalAction> routes = new RouteTable<RegionalAction>()
            .serve("CreateLogGroup", this::createGroup)
            .serve("DeleteLogGroup", this::deleteGroup)
            .serve("DescribeLogGroups", this::describeGroups)
            .serve("PutRetentionPolicy", this::putRetention)
            .serve("DeleteRetentionPolicy", this::deleteRetention)
            .serve("TagResource", this::tagResource)
            .serve("UntagResource", this::untagResource)
            .serve("ListTagsForResource", this::listTagsForResource)
            .serve("TagLogGroup", this::tagGroup)
            .serve("UntagLogGroup", this::untagGroup)
            .serve("ListTagsLogGroup", this::listTagsGroup)
            .serve("CreateLogStream", this::createStream)
            .serve("DeleteLogStream", this::deleteStream)
            .serve("DescribeLogStreams", this::describeStreams)
            .serve("PutLogEvents", this::putEvents)
            .serve("GetLogEvents", this::getEvents)
            .serve("FilterLogEvents", this::filterEvents);

    LogsHandler(LogsService service, LocalAwsConfig config) {
        this.service = service;
        this.config = config;
    }

    @Override
    public Route route() {
        return Route.signingName("logs").withTargetPrefix(TARGET_PREFIX);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        return JsonProtocol.dispatch(request, routes, config.defaultRegion());
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    /**
     * {@code logs:<operation>} on the log group (or its stream) the request names, in the form AWS
     * authorizes it ({@code arn:aws:logs:<region>:<account>:log-group:<name>:log-stream:<stream>},
     * the stream empty for group actions; DescribeLogGroups names no group), with the group's tags
     * and the tags the request sets; a CreateLogGroup that tags also needs logs:TagResource.
     */
    @Override
    public List<Access> access(AwsRequest request) {
        String operation = JsonProtocol.operation(request);
        ObjectNode in = JsonProtocol.read(request, JsonProtocol.encoding(request));
        String region = request.region(config.defaultRegion());
        String group = JsonProtocol.text(in, "logGroupName");
        for (String field : new String[] {"logGroupIdentifier", "resourceArn"}) {
            String value = JsonProtocol.text(in, field);
            if (group == null && value != null) {
                group = value.startsWith("arn:") ? value.replaceFirst("^arn:[^:]+:logs:[^:]*:[^:]*:log-group:", "")
                        .replaceFirst(":\\*$", "") : value;
            }
        }
        String stream = JsonProtocol.text(in, "logStreamName");
        String resource = "arn:aws:logs:" + region + ":" + config.accountId() + ":log-group:" + (group == null ? "" : group)
                + ":log-stream:" + (stream == null ? "" : stream);
        Map<String, String> tags = new LinkedHashMap<>();
        in.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        List<String> keys = JsonProtocol.texts(in, "tagKeys");
        if (operation.equals("UntagLogGroup")) {
            in.path("tags").forEach(k -> keys.add(k.asText()));
        }
        Access access = Access.of("logs:" + operation, resource).resourceTags(service.tagsIfAny(region, group))
                .requestTags(tags).tagKeys(keys);
        if (operation.equals("CreateLogGroup") && !tags.isEmpty()) {
            return List.of(access, Access.of("logs:TagResource", resource).requestTags(tags));
        }
        return List.of(access);
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        return JsonProtocol.error(request, JsonProtocol.encoding(request), error);
    }

    // ---- log groups ----

    private ObjectNode createGroup(ObjectNode in, String region) {
        NewGroup g = LogsInput.createGroup(in);
        service.createGroup(region, g.name(), g.tags(), g.logGroupClass());
        return object();
    }

    private ObjectNode deleteGroup(ObjectNode in, String region) {
        service.deleteGroup(region, LogsInput.groupName(in));
        return object();
    }

    private ObjectNode describeGroups(ObjectNode in, String region) {
        DescribeGroups d = LogsInput.describeGroups(in);
        GroupPage page = service.describeGroups(region, d.prefix(), d.pattern(), d.identifiers(), d.logGroupClass(),
                d.nextToken(), d.limit());
        ObjectNode out = object();
        ArrayNode groups = out.putArray("logGroups");
        for (GroupView g : page.groups()) {
            ObjectNode item = groups.addObject()
                    .put("logGroupName", g.name())
                    .put("creationTime", g.creationTime());
            optional(item, "retentionInDays", g.retentionInDays());
            item.put("metricFilterCount", 0)
                    .put("arn", g.arn() + ":*")
                    .put("storedBytes", g.storedBytes())
                    .put("logGroupClass", g.logGroupClass())
                    .put("logGroupArn", g.arn())
                    .put("deletionProtectionEnabled", false);
        }
        optional(out, "nextToken", page.nextToken());
        return out;
    }

    private ObjectNode putRetention(ObjectNode in, String region) {
        Retention r = LogsInput.retention(in);
        service.putRetention(region, r.group(), r.days());
        return object();
    }

    private ObjectNode deleteRetention(ObjectNode in, String region) {
        service.deleteRetention(region, LogsInput.groupName(in));
        return object();
    }

    // ---- tags ----

    private ObjectNode tagResource(ObjectNode in, String region) {
        String arn = LogsInput.resourceArn(in);
        service.tag(region, arn, LogsInput.tags(in));
        return object();
    }

    private ObjectNode untagResource(ObjectNode in, String region) {
        String arn = LogsInput.resourceArn(in);
        service.untag(region, arn, LogsInput.tagKeys(in, "tagKeys", 0));
        return object();
    }

    private ObjectNode listTagsForResource(ObjectNode in, String region) {
        return tags(service.tags(region, LogsInput.resourceArn(in)));
    }

    private ObjectNode tagGroup(ObjectNode in, String region) {
        String group = LogsInput.groupName(in);
        service.tagGroup(region, group, LogsInput.tags(in));
        return object();
    }

    private ObjectNode untagGroup(ObjectNode in, String region) {
        String group = LogsInput.groupName(in);
        service.untagGroup(region, group, LogsInput.tagKeys(in, "tags", 1));
        return object();
    }

    private ObjectNode listTagsGroup(ObjectNode in, String region) {
        return tags(service.groupTags(region, LogsInput.groupName(in)));
    }

    private static ObjectNode tags(Map<String, String> tags) {
        ObjectNode out = object();
        ObjectNode map = out.putObject("tags");
        tags.forEach(map::put);
        return out;
    }

    // ---- log streams ----

    private ObjectNode createStream(ObjectNode in, String region) {
        StreamRef s = LogsInput.stream(in);
        service.createStream(region, s.group(), s.stream());
        return object();
    }

    private ObjectNode deleteStream(ObjectNode in, String region) {
        StreamRef s = LogsInput.stream(in);
        service.deleteStream(region, s.group(), s.stream());
        return object();
    }

    private ObjectNode describeStreams(ObjectNode in, String region) {
        DescribeStreams d = LogsInput.describeStreams(in);
        StreamPage page = service.describeStreams(region, d.group(), d.prefix(), d.byLastEventTime(), d.descending(),
                d.nextToken(), d.limit());
        ObjectNode out = object();
        ArrayNode streams = out.putArray("logStreams");
        for (StreamView s : page.streams()) {
            ObjectNode item = streams.addObject()
                    .put("logStreamName", s.name())
                    .put("creationTime", s.creationTime());
            optional(item, "firstEventTimestamp", s.firstEventTimestamp());
            optional(item, "lastEventTimestamp", s.lastEventTimestamp());
            optional(item, "lastIngestionTime", s.lastIngestionTime());
            item.put("arn", s.arn()).put("storedBytes", s.storedBytes());
        }
        optional(out, "nextToken", page.nextToken());
        return out;
    }

    // ---- events ----

    private ObjectNode putEvents(ObjectNode in, String region) {
        Put p = LogsInput.put(in);
        PutResult r = service.put(region, p.group(), p.stream(), p.events());
        ObjectNode out = object().put("nextSequenceToken", r.nextSequenceToken());
        if (r.tooNewStartIndex() != null || r.tooOldEndIndex() != null || r.expiredEndIndex() != null) {
            ObjectNode rejected = out.putObject("rejectedLogEventsInfo");
            optional(rejected, "tooNewLogEventStartIndex", r.tooNewStartIndex());
            optional(rejected, "tooOldLogEventEndIndex", r.tooOldEndIndex());
            optional(rejected, "expiredLogEventEndIndex", r.expiredEndIndex());
        }
        return out;
    }

    private ObjectNode getEvents(ObjectNode in, String region) {
        GetEvents g = LogsInput.getEvents(in);
        EventsPage page = service.events(region, g.group(), g.stream(), g.startTime(), g.endTime(), g.nextToken(),
                g.limit(), g.startFromHead());
        ObjectNode out = object();
        ArrayNode events = out.putArray("events");
        for (LogEvent e : page.events()) {
            events.addObject().put("timestamp", e.timestamp()).put("message", e.message())
                    .put("ingestionTime", e.ingestionTime());
        }
        return out.put("nextForwardToken", page.nextForwardToken()).put("nextBackwardToken", page.nextBackwardToken());
    }

    private ObjectNode filterEvents(ObjectNode in, String region) {
        FilterResult r = service.filter(region, LogsInput.filter(in));
        ObjectNode out = object();
        ArrayNode events = out.putArray("events");
        for (Found f : r.events()) {
            events.addObject()
                    .put("logStreamName", f.logStreamName())
                    .put("timestamp", f.event().timestamp())
                    .put("message", f.event().message())
                    .put("ingestionTime", f.event().ingestionTime())
                    .put("eventId", f.event().eventId());
        }
        ArrayNode searched = out.putArray("searchedLogStreams");
        r.searchedStreams().forEach(s -> searched.addObject().put("logStreamName", s).put("searchedCompletely", true));
        optional(out, "nextToken", r.nextToken());
        return out;
    }

    /** AWS's JSON answers leave out absent members rather than send null. */
    private static void optional(ObjectNode node, String field, Object value) {
        if (value instanceof String s) {
            node.put(field, s);
        } else if (value instanceof Long l) {
            node.put(field, l);
        } else if (value instanceof Integer i) {
            node.put(field, i);
        }
    }

    private static ObjectNode object() {
        return JsonProtocol.NODES.objectNode();
    }
}
