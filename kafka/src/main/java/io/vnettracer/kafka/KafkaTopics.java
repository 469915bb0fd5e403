package io.vnettracer.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** The two topics of a trace: events ({@code T}) and the compacted probe catalog ({@code T.catalog}). */
public final class KafkaTopics {
    public static final String DEFAULT_TOPIC = "vnettracer.events";
    public static final int DEFAULT_PARTITIONS = 6;

    private KafkaTopics() {}

    public static String catalogTopic(String eventsTopic) {
        return eventsTopic + ".catalog";
    }

    /**
     * Creates the events topic with {@code partitions} and its catalog topic (one partition,
     * compacted) where they do not exist yet; existing topics are left as they are.
     */
    public static void ensure(String bootstrap, String eventsTopic, int partitions, short replication, long timeoutMillis) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new java.util.ArrayList<>();
            if (!existing.contains(eventsTopic)) {
                missing.add(new NewTopic(eventsTopic, partitions, replication));
            }
            if (!existing.contains(catalogTopic(eventsTopic))) {
                missing.add(new NewTopic(catalogTopic(eventsTopic), 1, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            for (NewTopic t : missing) {
                try {
                    admin.createTopics(List.of(t)).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new KafkaTransportException("cannot create the topics " + eventsTopic + " and " + catalogTopic(eventsTopic)
                    + " on " + bootstrap + ": " + cause + " (is a broker listening there?)", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaTransportException("interrupted while creating topics on " + bootstrap, e);
        }
    }
}
