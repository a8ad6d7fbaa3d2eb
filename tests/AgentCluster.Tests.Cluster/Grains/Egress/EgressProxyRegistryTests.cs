using System.Collections.Concurrent;
using AgentCluster.Grains.Egress;
using Orleans.Core.Internal;

namespace AgentCluster.Tests.Cluster.Grains.Egress;

[Collection(ClusterCollection.Name)]
public sealed class EgressProxyRegistryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_subscribed_proxy_is_told_and_a_new_activation_still_knows_them_all()
    {
        var registry = fixture.Grains.GetGrain<IEgressProxyRegistryGrain>("test-" + Guid.NewGuid().ToString("N"));
        var first = new RecordingProxy();
        var second = new RecordingProxy();
        var firstRef = fixture.Cluster.Client.CreateObjectReference<IEgressProxy>(first);
        var secondRef = fixture.Cluster.Client.CreateObjectReference<IEgressProxy>(second);
        try
        {
            var lease = await registry.Subscribe("prx_1", firstRef);
            await registry.Subscribe("prx_2", secondRef);
            Assert.Equal((TimeSpan.FromSeconds(10), false), (lease.Length, lease.ForgetAll));

            await registry.Forget("ses_a");
            Assert.Equal(["ses_a"], first.Forgotten);
            Assert.Equal(["ses_a"], second.Forgotten);

            await registry.Unsubscribe("prx_2");
            // A new activation reads who subscribed from storage, as after its silo died.
            await registry.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            await registry.Forget("ses_b");

            Assert.Equal(["ses_a", "ses_b"], first.Forgotten);
            Assert.Equal(["ses_a"], second.Forgotten);
        }
        finally
        {
            fixture.Cluster.Client.DeleteObjectReference<IEgressProxy>(firstRef);
            fixture.Cluster.Client.DeleteObjectReference<IEgressProxy>(secondRef);
        }
    }

    [Fact]
    public async Task A_proxy_that_fails_to_confirm_is_told_to_drop_everything_at_its_next_renewal()
    {
        var registry = fixture.Grains.GetGrain<IEgressProxyRegistryGrain>("test-" + Guid.NewGuid().ToString("N"));
        var broken = new RecordingProxy { Fail = true };
        var reference = fixture.Cluster.Client.CreateObjectReference<IEgressProxy>(broken);
        try
        {
            await registry.Subscribe("prx_1", reference);
            await registry.Forget("ses_a");

            Assert.True((await registry.Subscribe("prx_1", reference)).ForgetAll);
            Assert.False((await registry.Subscribe("prx_1", reference)).ForgetAll);
        }
        finally
        {
            fixture.Cluster.Client.DeleteObjectReference<IEgressProxy>(reference);
        }
    }

    private sealed class RecordingProxy : IEgressProxy
    {
        private readonly ConcurrentQueue<string> _forgotten = new();

        public bool Fail { get; init; }

        public IReadOnlyList<string> Forgotten => [.. _forgotten];

        public Task Forget(string sessionId)
        {
            if (Fail)
                throw new InvalidOperationException("this proxy cannot confirm");
            _forgotten.Enqueue(sessionId);
            return Task.CompletedTask;
        }
    }
}
