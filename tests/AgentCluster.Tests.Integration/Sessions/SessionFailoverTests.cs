using AgentCluster.Api.V1;
using AgentCluster.Grains.Sessions;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Sessions;

public sealed class SessionFailoverTests
{
    private static readonly string AdminKey = "agk_test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Killing_the_silo_that_hosts_a_session_still_kills_its_container_by_the_deadline_and_it_reads_terminated()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        var cluster = $"failover-{Guid.NewGuid():N}";
        string[] args = [.. PostgresSilos.Args(db.ConnectionString, cluster), .. DockerHosts.FleetArgs()];
        var silos = Enumerable.Range(0, 3).Select(i => SiloProcess.Start(dir.Sub($"s{i}"), args, PostgresSilos.Env(AdminKey))).ToList();
        var tenant = $"fo-{Guid.NewGuid():N}"[..16];
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitHealthyAsync()));
            using var api = new ApiClients(silos[0].ApiEndpoint, AdminKey);
            await api.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = tenant });
            await api.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);

            var session = await api.Sessions.CreateSessionAsync(new CreateSessionRequest
            {
                Tenant = tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(25)),
            });
            Assert.Equal("Ready", session.State);

            var hosting = await HostingSiloPort(db.ConnectionString, cluster, session.Id);
            var victim = silos.Single(s => s.SiloPort == hosting);
            victim.Kill();
            var survivor = silos.First(s => s != victim);

            // Dead by the deadline plus the time to notice the dead silo and one reconcile interval.
            var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..])];
            var until = session.Deadline.ToDateTime() + TimeSpan.FromSeconds(30);
            while ((await DockerHosts.Containers(endpoint, $"agentcluster.session={session.Id}")).Count > 0)
            {
                Assert.True(DateTime.UtcNow < until, "the container outlived its deadline after the silo loss");
                await Task.Delay(250);
            }

            using var viaSurvivor = new ApiClients(survivor.ApiEndpoint, AdminKey);
            var read = await Eventually(() => viaSurvivor.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id }).ResponseAsync,
                s => s.State == "Terminated", TimeSpan.FromSeconds(90));
            Assert.Equal("Terminated", read.State);
        }
        finally
        {
            foreach (var s in silos)
                await s.DisposeAsync();
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
        }
    }

    /// <summary>Asks the cluster itself, as an Orleans client, where the session grain lives.</summary>
    private static async Task<int> HostingSiloPort(string connectionString, string cluster, string sessionId)
    {
        await using var client = await ClusterClient.PostgresAsync(connectionString, cluster);
        var address = await client.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(client.Grains.GetGrain<ISessionGrain>(sessionId));
        return address?.Endpoint.Port ?? throw new InvalidOperationException($"session {sessionId} is not active anywhere");
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value) || DateTime.UtcNow > until)
                    return value;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < until)
            {
                // Unavailable while the cluster notices the dead silo.
            }
            await Task.Delay(500);
        }
    }
}
