package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EC2 through the AWS SDK against a local server answering in EC2's Query wire format
 * (DescribeInstancesResponse XML, the Response/Errors envelope) and STS's AssumeRoleResponse.
 */
class Ec2SourceTest {
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private HttpServer server;
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private volatile String mode = "ok";

    @BeforeAll
    static void credentials() {
        // The SDK's default chain reads these first; the values are the SDK documentation's examples.
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        Map<String, String> form = new java.util.HashMap<>();
        for (String kv : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
        }
        requests.add(form);
        authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
        if ("AssumeRole".equals(form.get("Action")) && mode.equals("stsDown")) {
            send(ex, 503, """
                    <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Receiver</Type>\
                    <Code>ServiceUnavailable</Code><Message>Service unavailable</Message></Error>\
                    <RequestId>c6104cbe-af31-11e0-8154-example</RequestId></ErrorResponse>""");
            return;
        }
        if ("AssumeRole".equals(form.get("Action"))) {
            send(ex, 200, """
                    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleResult>
                        <Credentials>
                          <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
                          <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
                          <SessionToken>session-token-example</SessionToken>
                          <Expiration>2099-01-01T00:00:00Z</Expiration>
                        </Credentials>
                        <AssumedRoleUser>
                          <Arn>arn:aws:sts::111122223333:assumed-role/inventory/portcullis-inventory</Arn>
                          <AssumedRoleId>AROA3XFRBF535PLBIFPI4:portcullis-inventory</AssumedRoleId>
                        </AssumedRoleUser>
                      </AssumeRoleResult>
                      <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
                    </AssumeRoleResponse>""");
            return;
        }
        switch (mode) {
            case "throttled" -> send(ex, 503, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors>\
                    <RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>""");
            case "denied" -> send(ex, 403, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this \
                    operation.</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>""");
            default -> send(ex, 200, form.containsKey("NextToken") ? page2() : page1());
        }
    }

    private static String page1() {
        return """
                <DescribeInstancesResponse xmlns="%s">
                  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
                  <reservationSet>
                    <item>
                      <reservationId>r-1234567890abcdef0</reservationId>
                      <ownerId>123456789012</ownerId>
                      <groupSet/>
                      <instancesSet>
                        <item>
                          <instanceId>i-1234567890abcdef0</instanceId>
                          <instanceState><code>16</code><name>running</name></instanceState>
                          <privateIpAddress>10.0.0.12</privateIpAddress>
                          <ipAddress>54.194.252.215</ipAddress>
                          <networkInterfaceSet>
                            <item>
                              <networkInterfaceId>eni-0598c7d356eba48d7</networkInterfaceId>
                              <privateIpAddress>10.0.0.12</privateIpAddress>
                              <privateIpAddressesSet>
                                <item><privateIpAddress>10.0.0.12</privateIpAddress><primary>true</primary>
                                  <association><publicIp>54.194.252.215</publicIp><ipOwnerId>amazon</ipOwnerId></association></item>
                                <item><privateIpAddress>10.0.0.13</privateIpAddress><primary>false</primary></item>
                              </privateIpAddressesSet>
                              <ipv6AddressesSet><item><ipv6Address>2001:db8:1234:1a00::123</ipv6Address></item></ipv6AddressesSet>
                            </item>
                          </networkInterfaceSet>
                          <tagSet><item><key>team</key><value>batch</value></item></tagSet>
                        </item>
                      </instancesSet>
                    </item>
                  </reservationSet>
                  <nextToken>page-2</nextToken>
                </DescribeInstancesResponse>""".formatted(NS);
    }

    private static String page2() {
        return """
                <DescribeInstancesResponse xmlns="%s">
                  <requestId>8f7724cf-496f-496e-8fe3-example2</requestId>
                  <reservationSet>
                    <item>
                      <reservationId>r-0abcdef1234567890</reservationId>
                      <ownerId>123456789012</ownerId>
                      <instancesSet>
                        <item>
                          <instanceId>i-0abcdef1234567890</instanceId>
                          <instanceState><code>16</code><name>running</name></instanceState>
                          <privateIpAddress>10.0.1.7</privateIpAddress>
                        </item>
                      </instancesSet>
                    </item>
                  </reservationSet>
                </DescribeInstancesResponse>""".formatted(NS);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private Ec2Source source(List<String> roles, boolean priv, boolean pub) {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new Ec2Source(new SourceSettings.Ec2(List.of("eu-west-1"), roles, Map.of("team", List.of("batch")), priv, pub,
                Optional.of(endpoint), Optional.of(endpoint)));
    }

    private static List<String> texts(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::toString).distinct().sorted().toList();
    }

    @Test
    void fetch_twoPages_readsEveryPrivateAddressAndSendsTheFilters() {
        List<Cidr> got = source(List.of(), true, false).fetch(new Pacer(0)).orElseThrow();
        assertThat(texts(got)).containsExactly("10.0.0.12", "10.0.0.13", "10.0.1.7", "2001:db8:1234:1a00:0:0:0:123");
        assertThat(requests).hasSize(2);
        Map<String, String> first = requests.get(0);
        assertThat(first).containsEntry("Action", "DescribeInstances").containsEntry("Filter.1.Name", "instance-state-name")
                .containsEntry("Filter.1.Value.1", "running").containsEntry("Filter.2.Name", "tag:team")
                .containsEntry("Filter.2.Value.1", "batch").doesNotContainKey("NextToken");
        assertThat(requests.get(1)).containsEntry("NextToken", "page-2");
        assertThat(authorizations.get(0)).startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/");
    }

    @Test
    void fetch_publicAddresses_readsThePublicOnes() {
        assertThat(texts(source(List.of(), false, true).fetch(new Pacer(0)).orElseThrow())).containsExactly("54.194.252.215");
    }

    @Test
    void fetch_assumedRole_asksStsThenSignsWithTheRolesCredentials() {
        source(List.of("arn:aws:iam::111122223333:role/inventory"), true, false).fetch(new Pacer(0));
        assertThat(requests.get(0)).containsEntry("Action", "AssumeRole")
                .containsEntry("RoleArn", "arn:aws:iam::111122223333:role/inventory")
                .containsEntry("RoleSessionName", "portcullis-inventory");
        assertThat(requests.get(1)).containsEntry("Action", "DescribeInstances");
        assertThat(authorizations.get(1)).startsWith("AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/");
    }

    @Test
    void fetch_requestLimitExceeded_isThrottlingWithoutTheSdkRetrying() {
        mode = "throttled";
        assertThatThrownBy(() -> source(List.of(), true, false).fetch(new Pacer(0)))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.throttled()).isTrue())
                .hasMessageContaining("EC2 (eu-west-1) answered RequestLimitExceeded (HTTP 503): Request limit exceeded.");
        assertThat(requests).hasSize(1);
    }

    @Test
    void fetch_unauthorized_failsNamingTheCode() {
        mode = "denied";
        assertThatThrownBy(() -> source(List.of(), true, false).fetch(new Pacer(0)))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.throttled()).isFalse())
                .hasMessageContaining("UnauthorizedOperation (HTTP 403): You are not authorized");
    }

    @Test
    void fetch_stsUnavailable_failsAfterOneAskForTheSetsOwnBackOff() {
        mode = "stsDown";
        assertThatThrownBy(() -> source(List.of("arn:aws:iam::111122223333:role/inventory"), true, false).fetch(new Pacer(0)))
                .isInstanceOf(SourceException.class).hasMessageContaining("EC2 (eu-west-1 as arn:aws:iam::111122223333:role/inventory)");
        assertThat(requests).hasSize(1);
    }
}
