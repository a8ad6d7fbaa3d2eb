using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

public sealed class SessionQuotaTests(SessionNodeFixture node) : IClassFixture<SessionNodeFixture>
{
    [Fact]
    public async Task An_over_quota_tenant_gets_ResourceExhausted_with_no_container_created()
    {
        var tenant = $"quota-{Guid.NewGuid():N}"[..16];
        await node.Admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = tenant, MaxSessions = 1, MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
        });
        var request = new CreateSessionRequest { Tenant = tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) };
        try
        {
            var first = await node.Admin.Sessions.CreateSessionAsync(request);
            Assert.Equal("Ready", first.State);

            var e = await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.CreateSessionAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Equal(1, await DockerHosts.CountEverywhere($"agentcluster.tenant={tenant}"));

            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = first.Id });
            var next = await node.Admin.Sessions.CreateSessionAsync(request);
            Assert.Equal("Ready", next.State);
            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = next.Id });
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
        }
    }

    [Fact]
    public async Task Fifty_sessions_at_once_across_two_hosts_all_end_by_ttl_and_leave_no_container()
    {
        Session[] sessions;
        try
        {
            sessions = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
                node.Admin.Sessions.CreateSessionAsync(node.Request(TimeSpan.FromSeconds(15))).ResponseAsync));
        }
        catch (RpcException e)
        {
            var hosts = (await node.Admin.Hosts.ListHostsAsync(new ListHostsRequest())).Hosts;
            Assert.Fail($"{e.Status}; hosts now: {string.Join(", ", hosts.Select(h => $"{h.Name} {h.Health} {h.Running}/{h.Capacity}"))}\n{node.Silo.Output.Tail()}");
            throw;
        }

        Assert.All(sessions, s => Assert.Equal("Ready", s.State));
        Assert.Equal(2, sessions.Select(s => s.Host).Distinct().Count());

        // Behaviour, not timing: once every session has ended by its TTL, nothing of any of them remains.
        var last = sessions.Max(s => s.Deadline.ToDateTime());
        var wait = last - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        Session[] states;
        while (true)
        {
            states = await Task.WhenAll(sessions.Select(s =>
                node.Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = s.Id }).ResponseAsync));
            if (states.All(s => s.State == "Terminated") || DateTime.UtcNow > until)
                break;
            await Task.Delay(250);
        }
        Assert.All(states, s => Assert.StartsWith("ttl", s.Reason, StringComparison.Ordinal));
        Assert.Equal(0, await DockerHosts.CountEverywhere($"agentcluster.tenant={node.Tenant}"));
        Assert.All(states, s => Assert.Equal("Terminated", s.State));
    }
}
