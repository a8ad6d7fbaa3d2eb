using AgentCluster.Api.V1;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

/// <summary>
/// Host loss against real engines: an engine of the test's own (host <c>hloss</c>, label
/// zone=loss) is killed with SIGKILL under a live session, then started again on the same root,
/// beside one of the shared test engines (host <c>h0</c>).
/// </summary>
public sealed class HostLossTests
{
    private const string Lossy = "hloss";
    private const string Other = "h0";

    [Fact]
    public async Task A_killed_engine_loses_its_sessions_and_takes_work_again_only_once_its_leftovers_are_gone()
    {
        using var dir = new TempDir();
        var tenant = $"loss-{Guid.NewGuid():N}"[..16];
        var engine = new OwnDockerd(dir.Sub("engine"));
        SiloProcess? silo = null;
        try
        {
            await engine.StartAsync();
            await engine.CopyImageFrom(DockerHosts.Endpoints[0], DockerHosts.Image);
            silo = SiloProcess.Start(dir.Sub("silo"),
            [
                $"--AgentCluster:Fleet:Hosts:{Other}:Endpoint={DockerHosts.Endpoints[0]}",
                $"--AgentCluster:Fleet:Hosts:{Lossy}:Endpoint={engine.Endpoint}",
                $"--AgentCluster:Fleet:Hosts:{Lossy}:Labels:zone=loss",
                "--AgentCluster:Fleet:ReconcileInterval=00:00:01",
                "--AgentCluster:Fleet:UnhealthyAfter=2",
            ]);
            await silo.WaitHealthyAsync();
            using var api = new ApiClients(silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(silo.DataDir, "admin.key"))).Trim());
            // One session at a time: the second create below fits only if the lost one gave its slot back.
            await api.Tenants.CreateTenantAsync(new CreateTenantRequest
            {
                Name = tenant, MaxSessions = 1, MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)),
                AllowedImages = { "agentcluster/sandbox:*" },
            });
            await HostIs(api, Other, "Healthy");
            await HostIs(api, Lossy, "Healthy");

            var doomed = await api.Sessions.CreateSessionAsync(Request(tenant, "loss"));
            Assert.Equal(("Ready", Lossy), (doomed.State, doomed.Host));

            engine.Kill();
            await HostIs(api, Lossy, "Unhealthy");
            await SessionIs(api, doomed.Id, "Lost");
            var elsewhere = await api.Sessions.CreateSessionAsync(Request(tenant, zone: null));
            Assert.Equal(("Ready", Other), (elsewhere.State, elsewhere.Host));
            await api.Sessions.KillSessionAsync(new KillSessionRequest { Id = elsewhere.Id });

            // Same root: the engine still has the lost session's container on its books. dockerd_start
            // first kills what the dead engine left running, so it is listed as exited; were it still
            // listed as running, the host would stay Unhealthy until its kill and removal went through.
            await engine.StartAsync();
            await HostIs(api, Lossy, "Healthy");
            Assert.Empty(await DockerHosts.Containers(engine.Endpoint, SandboxLabels.Session));
            Assert.True(silo.Output.Lines.Any(l => l.Contains($"Killed {doomed.ContainerId}", StringComparison.Ordinal) && l.Contains("its process has ended (exited)", StringComparison.Ordinal)),
                "the host's reconcile, not the restart, should have killed the leftover:\n" + silo.Output.Tail());

            var back = await api.Sessions.CreateSessionAsync(Request(tenant, "loss"));
            Assert.Equal(("Ready", Lossy), (back.State, back.Host));
            Assert.StartsWith(Assert.Single(await DockerHosts.Containers(engine.Endpoint, SandboxLabels.Session)), back.ContainerId);
            await api.Sessions.KillSessionAsync(new KillSessionRequest { Id = back.Id });
            Assert.Equal("Lost", (await api.Sessions.GetSessionAsync(new GetSessionRequest { Id = doomed.Id })).State);
        }
        finally
        {
            if (silo is not null)
                await silo.DisposeAsync();
            await engine.DisposeAsync();
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
        }
        // A stopped engine's network bridges, killed or not, would hold its pool for good.
        Assert.Equal("", (await engine.LinksInPool()).Trim());
    }

    private static CreateSessionRequest Request(string tenant, string? zone)
    {
        var request = new CreateSessionRequest { Tenant = tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) };
        if (zone is not null)
            request.HostLabels.Add("zone", zone);
        return request;
    }

    /// <summary>The host grain tells its sessions right after it turns Unhealthy, not at the same instant.</summary>
    private static async Task SessionIs(ApiClients api, string id, string state)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await api.Sessions.GetSessionAsync(new GetSessionRequest { Id = id })).State is var now && now != state)
        {
            Assert.True(DateTime.UtcNow < until, $"session {id} is {now}, not {state}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls often: the moment a host turns Healthy is the moment it may take work.</summary>
    private static async Task HostIs(ApiClients api, string host, string health)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var hosts = (await api.Hosts.ListHostsAsync(new ListHostsRequest())).Hosts;
            if (hosts.SingleOrDefault(h => h.Name == host) is { } found && found.Health == health)
                return;
            Assert.True(DateTime.UtcNow < until, $"host {host} never became {health}: {string.Join(", ", hosts.Select(h => $"{h.Name} {h.Health} {h.LastError}"))}");
            await Task.Delay(100);
        }
    }
}
