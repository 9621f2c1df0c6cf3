package dev.portcullis.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * AWS EC2: the running instances of every region, under the default credentials or each assumed
 * role (one per account), through {@code DescribeInstances} page by page with tag filters; their
 * private (every interface's private IPv4 and IPv6) and/or public addresses. The SDK's own retries
 * are off: the set's schedule backs off, and {@code RequestLimitExceeded} counts as throttling.
 */
public final class Ec2Source implements Source {
    private final SourceSettings.Ec2 settings;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final List<Ec2Client> clients = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();

    public Ec2Source(SourceSettings.Ec2 settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return "ec2";
    }

    @Override
    public Optional<List<Cidr>> fetch(Pacer pacer) {
        List<Cidr> out = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        filters.add(Filter.builder().name("instance-state-name").values("running").build());
        settings.tags().forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        List<Ec2Client> all = clients();
        for (int i = 0; i < all.size(); i++) {
            String token = null;
            do {
                pacer.acquire();
                DescribeInstancesResponse page = describe(all.get(i), targets.get(i),
                        DescribeInstancesRequest.builder().filters(filters).maxResults(1000).nextToken(token).build());
                for (Reservation r : page.reservations()) {
                    for (Instance instance : r.instances()) {
                        addresses(instance, out);
                    }
                }
                token = page.nextToken() == null || page.nextToken().isEmpty() ? null : page.nextToken();
            } while (token != null);
        }
        return Optional.of(out);
    }

    private static DescribeInstancesResponse describe(Ec2Client client, String target, DescribeInstancesRequest request) {
        try {
            return client.describeInstances(request);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            boolean throttled = "RequestLimitExceeded".equals(code) || "Throttling".equals(code) || e.statusCode() == 429;
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new SourceException("EC2 (" + target + ") answered " + code + " (HTTP " + e.statusCode() + "): " + message,
                    throttled, null, e);
        } catch (SdkClientException e) {
            throw new SourceException("EC2 (" + target + "): " + e.getMessage(), false, null, e);
        }
    }

    private void addresses(Instance instance, List<Cidr> out) {
        if (settings.privateAddresses()) {
            add(instance.privateIpAddress(), out);
            for (InstanceNetworkInterface nic : instance.networkInterfaces()) {
                nic.privateIpAddresses().forEach(a -> add(a.privateIpAddress(), out));
                nic.ipv6Addresses().forEach(a -> add(a.ipv6Address(), out));
            }
        }
        if (settings.publicAddresses()) {
            add(instance.publicIpAddress(), out);
            for (InstanceNetworkInterface nic : instance.networkInterfaces()) {
                nic.privateIpAddresses().forEach(a -> {
                    if (a.association() != null) {
                        add(a.association().publicIp(), out);
                    }
                });
            }
        }
    }

    @Override
    public synchronized void close() {
        clients.forEach(Ec2Client::close);
        http.close();
    }

    private static void add(String address, List<Cidr> out) {
        if (address != null && !address.isEmpty()) {
            out.add(Cidr.parse(address));
        }
    }

    // One client per (role, region), built on first use and kept: the SDK caches the assumed role's credentials.
    private synchronized List<Ec2Client> clients() {
        if (!clients.isEmpty()) {
            return clients;
        }
        List<Optional<String>> roles = settings.roles().isEmpty() ? List.of(Optional.empty())
                : settings.roles().stream().map(Optional::of).toList();
        for (Optional<String> role : roles) {
            for (String region : settings.regions()) {
                var b = Ec2Client.builder().region(Region.of(region)).httpClient(http).credentialsProvider(credentials(role, region))
                        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()));
                settings.endpoint().ifPresent(b::endpointOverride);
                clients.add(b.build());
                targets.add(region + role.map(r -> " as " + r).orElse(""));
            }
        }
        return clients;
    }

    private AwsCredentialsProvider credentials(Optional<String> role, String region) {
        if (role.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        var sts = StsClient.builder().region(Region.of(region)).httpClient(http).credentialsProvider(DefaultCredentialsProvider.builder()
                .build());
        settings.stsEndpoint().ifPresent(sts::endpointOverride);
        sts.overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()));
        return StsAssumeRoleCredentialsProvider.builder().stsClient(sts.build())
                .refreshRequest(r -> r.roleArn(role.get()).roleSessionName("portcullis-inventory")).build();
    }
}
