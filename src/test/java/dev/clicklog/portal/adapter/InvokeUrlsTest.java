package dev.clicklog.portal.adapter;

import dev.clicklog.endpoint.LocalEndpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Where clients send clicks, with the clients aws mode builds: the execute-api host on AWS, the
 * LocalStack path form on a custom endpoint. Building a client calls nothing, so no account is needed.
 */
class InvokeUrlsTest {

    @Test
    void inAwsModeWithoutACustomEndpointTheInvokeUrlIsTheExecuteApiHost() {
        assertEquals("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1/clicks",
                clicks("eu-west-1", Optional.empty()));
    }

    @Test
    void inAnotherPartitionTheHostHasThatPartitionsDnsSuffix() {
        assertEquals("https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/v1/clicks",
                clicks("cn-north-1", Optional.empty()));
    }

    @Test
    void inAwsModeWithACustomEndpointTheInvokeUrlIsTheLocalStackPath() {
        assertEquals("http://localhost:4566/restapis/a1b2c3d4e5/v1/_user_request_/clicks",
                clicks("us-east-1", Optional.of(URI.create("http://localhost:4566/"))));
    }

    private static String clicks(String region, Optional<URI> endpoint) {
        AwsConfig aws = new AwsConfig() {
            @Override
            public Mode mode() {
                return Mode.AWS;
            }

            @Override
            public Optional<URI> endpoint() {
                return endpoint;
            }

            @Override
            public Optional<String> region() {
                return Optional.of(region);
            }

            @Override
            public boolean cbor() {
                return true;
            }

            @Override
            public CloudWatchProtocol cloudwatchProtocol() {
                return CloudWatchProtocol.AUTO;
            }
        };
        LocalEndpoint local = new LocalEndpoint("aws");
        AwsClientProducer producer = new AwsClientProducer(aws, local, new EndpointCapabilities(aws, local, null));
        try (ApiGatewayClient apiGateway = producer.apiGateway(); StsClient sts = producer.sts()) {
            return new InvokeUrls(apiGateway, new Arns(sts)).clicks("a1b2c3d4e5", "v1");
        } finally {
            producer.closeHttpClient();
        }
    }
}
