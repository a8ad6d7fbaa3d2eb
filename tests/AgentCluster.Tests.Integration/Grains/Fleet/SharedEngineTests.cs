using AgentCluster.Api.V1;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// Two deployments (two embedded nodes, each with its own storage) on the same real engines, as two
/// checkouts on one system engine are. Each reconcile asks its own sessions about every container
/// older than its claim grace; the other deployment's sessions are unknown to it, so before the
/// deployment label each killed the other's live sandboxes and idle pool as unclaimed.
/// </summary>
public sealed class SharedEngineTests
{
    private static readonly string[] Fast = ["--AgentCluster:Fleet:ClaimGrace=00:00:01", "--AgentCluster:Fleet:ReconcileInterval=00:00:00.500"];

    [Fact]
    public async Task Each_deployment_leaves_the_others_sandboxes_and_pool_running_and_counts_only_its_own()
    {
        using var dirA = new TempDir();
        using var dirB = new TempDir();
        var tenant = $"shared-{Guid.NewGuid():N}"[..14];
        var deployments = new List<string>();
        try
        {
            await using var a = SiloProcess.Start(dirA.Sub("data"), [.. DockerHosts.FleetArgs(), .. DockerHosts.WarmPoolArgs(DockerHosts.Image, 1), .. Fast]);
            using var adminA = await Open(a, dirA);
            var sessionA = await Create(adminA, tenant);
            var deploymentA = (await Inspect(sessionA)).Deployment;
            deployments.Add(deploymentA);
            var poolA = await IdlePool(deploymentA, a);

            await using var b = SiloProcess.Start(dirB.Sub("data"), [.. DockerHosts.FleetArgs(), .. Fast]);
            using var adminB = await Open(b, dirB);
            var sessionB = await Create(adminB, tenant);

            var deploymentB = (await Inspect(sessionB)).Deployment;
            deployments.Add(deploymentB);
            Assert.Matches("^[0-9a-f]{32}$", deploymentA);
            Assert.Matches("^[0-9a-f]{32}$", deploymentB);
            Assert.NotEqual(deploymentA, deploymentB);
            // B has listed A's containers and left them; then several more checks of both, each older than the grace.
            await Until(() => b.Output.Contains("container(s) of other deployments on this engine, left to them"), b);
            await Task.Delay(TimeSpan.FromSeconds(4));

            Assert.True((await Inspect(sessionA)).Running, "B's reconcile killed A's live sandbox:\n" + b.Output.Tail());
            Assert.True((await Inspect(sessionB)).Running, "A's reconcile killed B's live sandbox:\n" + a.Output.Tail());
            foreach (var (endpoint, id) in poolA)
                Assert.True((await DockerHosts.Docker(endpoint, "inspect", "-f", "{{.State.Status}}", id)).Output == "paused", $"A's idle pool container {id} is gone:\n{b.Output.Tail()}");
            Assert.Equal("Ready", (await adminA.Sessions.GetSessionAsync(new GetSessionRequest { Id = sessionA.Id })).State);
            Assert.Equal("Ready", (await adminB.Sessions.GetSessionAsync(new GetSessionRequest { Id = sessionB.Id })).State);
            Assert.Equal(1, (await adminB.Hosts.ListHostsAsync(new ListHostsRequest())).Hosts.Sum(h => h.Running));
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
            foreach (var deployment in deployments.Where(d => d.Length > 0))
                await DockerHosts.RemoveAll($"{SandboxLabels.Deployment}={deployment}");
        }
    }

    private static async Task<ApiClients> Open(SiloProcess silo, TempDir dir)
    {
        await silo.WaitHealthyAsync();
        var admin = new ApiClients(silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(dir.Sub("data"), "admin.key"))).Trim());
        await admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
        return admin;
    }

    private static async Task<Session> Create(ApiClients admin, string tenant)
    {
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = tenant, MaxSessions = 5, MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)), AllowedImages = { "agentcluster/sandbox:*" },
        });
        var session = await admin.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Tenant = tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
        });
        Assert.Equal("Ready", session.State);
        return session;
    }

    /// <summary>The deployment's idle pool containers (paused: a claimed one runs), one per engine, once made.</summary>
    private static async Task<List<(string Endpoint, string Id)>> IdlePool(string deployment, SiloProcess silo)
    {
        var pool = new List<(string, string)>();
        await Until(async () =>
        {
            pool.Clear();
            foreach (var endpoint in DockerHosts.Endpoints)
            {
                foreach (var id in await DockerHosts.Containers(endpoint, $"{SandboxLabels.Deployment}={deployment}"))
                {
                    var (_, output) = await DockerHosts.Docker(endpoint, "inspect", "-f", $"{{{{.State.Status}}}} {{{{index .Config.Labels \"{SandboxLabels.Pool}\"}}}}", id);
                    if (output.Split(' ') is ["paused", { Length: > 0 }])
                        pool.Add((endpoint, id));
                }
            }
            return pool.Count == DockerHosts.Endpoints.Count;
        }, silo);
        return pool;
    }

    private static async Task<(bool Running, string Deployment)> Inspect(Session session)
    {
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..])];
        var (code, output) = await DockerHosts.Docker(endpoint, "inspect", "-f", $"{{{{.State.Running}}}} {{{{index .Config.Labels \"{SandboxLabels.Deployment}\"}}}}", session.ContainerId);
        Assert.True(code == 0, $"{session.ContainerId}: {output}");
        var parts = output.Split(' ');
        return (parts[0] == "true", parts.Length > 1 ? parts[1] : "");
    }

    private static Task Until(Func<bool> condition, SiloProcess silo) => Until(() => Task.FromResult(condition()), silo);

    private static async Task Until(Func<Task<bool>> condition, SiloProcess silo)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out:\n" + silo.Output.Tail());
            await Task.Delay(250);
        }
    }
}
