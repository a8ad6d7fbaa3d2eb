using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

public sealed class SessionLifecycleTests(SessionNodeFixture node) : IClassFixture<SessionNodeFixture>
{
    private static string EndpointOf(string host) => DockerHosts.Endpoints[int.Parse(host[1..])];

    [Fact]
    public async Task A_session_gets_a_labelled_container_on_a_fleet_host_and_a_kill_removes_it()
    {
        var session = await node.Admin.Sessions.CreateSessionAsync(node.Request(TimeSpan.FromMinutes(5)));

        Assert.Equal("Ready", session.State);
        Assert.StartsWith("ses_", session.Id);
        Assert.Contains(session.Host, new[] { "h0", "h1" });
        var endpoint = EndpointOf(session.Host);
        var (code, labels) = await DockerHosts.Docker(endpoint, "inspect", "-f",
            "{{index .Config.Labels \"agentcluster.tenant\"}} {{index .Config.Labels \"agentcluster.deadline\"}} {{.State.Running}}",
            session.ContainerId);
        Assert.True(code == 0, labels);
        Assert.Equal($"{node.Tenant} {session.Deadline.ToDateTimeOffset().ToUnixTimeMilliseconds()} true", labels);

        var killed = await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id, Reason = "test over" });

        Assert.Equal("Terminated", killed.State);
        Assert.Equal("test over", killed.Reason);
        Assert.Empty(await DockerHosts.Containers(endpoint, $"agentcluster.session={session.Id}"));
        var again = await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        Assert.Equal("Terminated", again.State);
    }

    [Fact]
    public async Task The_ttl_kills_the_container_by_the_deadline()
    {
        var session = await node.Admin.Sessions.CreateSessionAsync(node.Request(TimeSpan.FromSeconds(3)));
        Assert.Equal("Ready", session.State);

        var deadline = session.Deadline.ToDateTime();
        var wait = deadline + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);

        Assert.Empty(await DockerHosts.Containers(EndpointOf(session.Host), $"agentcluster.session={session.Id}"));
        var read = await node.Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id });
        Assert.Equal("Terminated", read.State);
        Assert.Equal("ttl", read.Reason);
    }

    [Fact]
    public async Task Extend_moves_the_deadline_but_never_past_the_tenant_maximum()
    {
        var session = await node.Admin.Sessions.CreateSessionAsync(node.Request(TimeSpan.FromMinutes(1)));
        try
        {
            var extended = await node.Admin.Sessions.ExtendSessionAsync(new ExtendSessionRequest
            {
                Id = session.Id, Ttl = Duration.FromTimeSpan(TimeSpan.FromHours(5)),
            });
            var ceiling = session.CreatedAt.ToDateTimeOffset() + TimeSpan.FromMinutes(30);
            Assert.Equal(ceiling, extended.Deadline.ToDateTimeOffset());
        }
        finally
        {
            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        }
    }

    [Fact]
    public async Task An_extended_session_keeps_its_container_past_the_original_deadline()
    {
        var session = await node.Admin.Sessions.CreateSessionAsync(node.Request(TimeSpan.FromSeconds(3)));
        try
        {
            await node.Admin.Sessions.ExtendSessionAsync(new ExtendSessionRequest
            {
                Id = session.Id, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(2)),
            });

            // Past the container's deadline label plus several reconcile intervals.
            await Task.Delay(session.Deadline.ToDateTime() + TimeSpan.FromSeconds(4) - DateTime.UtcNow);

            Assert.Single(await DockerHosts.Containers(EndpointOf(session.Host), $"agentcluster.session={session.Id}"));
            Assert.Equal("Ready", (await node.Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id })).State);
        }
        finally
        {
            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        }
        Assert.Empty(await DockerHosts.Containers(EndpointOf(session.Host), $"agentcluster.session={session.Id}"));
    }

    [Fact]
    public async Task An_idle_session_is_killed_after_its_idle_timeout_and_activity_keeps_one_alive()
    {
        var idle = await node.Admin.Sessions.CreateSessionAsync(
            node.Request(TimeSpan.FromMinutes(5)).With(r => r.IdleTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2))));
        var busy = await node.Admin.Sessions.CreateSessionAsync(
            node.Request(TimeSpan.FromMinutes(5)).With(r => r.IdleTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(3))));
        try
        {
            for (var i = 0; i < 6; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                await node.Admin.Sessions.ExtendSessionAsync(new ExtendSessionRequest
                {
                    Id = busy.Id, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
                });
            }

            var ended = await node.Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = idle.Id });
            Assert.Equal("Terminated", ended.State);
            Assert.Equal("idle", ended.Reason);
            Assert.Empty(await DockerHosts.Containers(EndpointOf(idle.Host), $"agentcluster.session={idle.Id}"));
            Assert.Equal("Ready", (await node.Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = busy.Id })).State);
        }
        finally
        {
            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = idle.Id });
            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = busy.Id });
        }
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_status_creates_no_container_and_is_audited()
    {
        var before = await DockerHosts.CountEverywhere($"agentcluster.tenant={node.Tenant}");
        var cases = new (CreateSessionRequest Request, StatusCode Expected)[]
        {
            (node.Request(TimeSpan.FromMinutes(5)).With(r => r.Image = "evil/miner:latest"), StatusCode.InvalidArgument),
            (node.Request(TimeSpan.FromHours(2)), StatusCode.InvalidArgument),
            (node.Request(TimeSpan.Zero), StatusCode.InvalidArgument),
            (node.Request(TimeSpan.FromMinutes(5)).With(r => r.MemoryBytes = 1L << 40), StatusCode.InvalidArgument),
            (node.Request(TimeSpan.FromMinutes(5)).With(r => r.PidsLimit = 1_000_000), StatusCode.InvalidArgument),
            (node.Request(TimeSpan.FromMinutes(5)).With(r => r.AllowHosts.Add("not a host")), StatusCode.InvalidArgument),
        };
        foreach (var (request, expected) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.CreateSessionAsync(request).ResponseAsync);
            Assert.Equal(expected, e.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace(e.Status.Detail));
        }

        var missingImage = await node.Admin.Sessions.CreateSessionAsync(
            node.Request(TimeSpan.FromMinutes(5)).With(r => r.Image = "agentcluster/sandbox:does-not-exist"))
            .ResponseAsync.ContinueWith(t => t.Exception?.InnerException as RpcException);
        Assert.Equal(StatusCode.InvalidArgument, missingImage?.StatusCode);

        Assert.Equal(before, await DockerHosts.CountEverywhere($"agentcluster.tenant={node.Tenant}"));
        var denied = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey,
            "audit", "tail", "--tenant", node.Tenant, "--kind", "session.created", "--limit", "100", "--json");
        Assert.True(denied.ExitCode == 0, denied.Stderr);
        Assert.True(denied.Stdout.Split("\"denied\"").Length - 1 >= cases.Length, denied.Stdout);
    }
}

internal static class RequestExtensions
{
    public static CreateSessionRequest With(this CreateSessionRequest request, Action<CreateSessionRequest> change)
    {
        change(request);
        return request;
    }
}
