using System.Security.Cryptography;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Credentials;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Credentials;

public sealed class GrantFailoverTests
{
    private static readonly string AdminKey = "agk_test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_grant_survives_kill_9_of_its_silo_and_still_expires_on_time()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        var cluster = $"grant-{Guid.NewGuid():N}";
        var env = PostgresSilos.Env(AdminKey);
        env["AGENTCLUSTER_VAULT_KEY"] = "k1=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string[] args = [.. PostgresSilos.Args(db.ConnectionString, cluster), .. DockerHosts.FleetArgs()];
        var silos = Enumerable.Range(0, 3).Select(i => SiloProcess.Start(dir.Sub($"s{i}"), args, env)).ToList();
        var tenant = $"gf-{Guid.NewGuid():N}"[..16];
        ClusterClient? client = null;
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitHealthyAsync()));
            client = await ClusterClient.PostgresAsync(db.ConnectionString, cluster);
            using var api = new ApiClients(silos[0].ApiEndpoint, AdminKey);
            await api.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = tenant });
            await api.Secrets.PutSecretAsync(new PutSecretRequest
            {
                Tenant = tenant, Resource = "stripe", Hosts = { "api.stripe.com" }, Actions = { "read" },
                Header = "Authorization", Format = "Bearer {secret}", Value = "sk_failover_secret",
            });
            await api.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
            var session = await api.Sessions.CreateSessionAsync(new CreateSessionRequest
            {
                Tenant = tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
                AllowGrants = { "stripe:read" }, MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(45)),
            });
            var grant = await api.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "stripe", Action = "read" });
            var grains = client.Grains;
            var grantGrain = grains.GetGrain<IGrantGrain>(GrantTokens.Hash(grant.Token));
            Assert.True((await grantGrain.Resolve(session.Id, "api.stripe.com", "GET")).Allowed);

            var hosting = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grantGrain);
            var victim = silos.Single(s => s.SiloPort == hosting!.Endpoint.Port);
            victim.Kill();

            // Reactivated elsewhere from storage: still valid before its expiry...
            await WaitFor(async () =>
            {
                try { return (await grantGrain.Resolve(session.Id, "api.stripe.com", "GET")).Allowed; }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException) { return false; }
            });
            Assert.True(DateTime.UtcNow < grant.ExpiresAt.ToDateTime(), "the failover took longer than the grant's life");
            var moved = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grantGrain);
            Assert.NotEqual(victim.SiloPort, moved?.Endpoint.Port);

            // ...and refused once it has expired.
            await Task.Delay(grant.ExpiresAt.ToDateTime() - DateTime.UtcNow + TimeSpan.FromMilliseconds(500));
            Assert.False((await grantGrain.Resolve(session.Id, "api.stripe.com", "GET")).Allowed);
        }
        finally
        {
            if (client is not null)
                await client.DisposeAsync();
            foreach (var s in silos)
                await s.DisposeAsync();
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
        }
    }

    private static async Task WaitFor(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out");
            await Task.Delay(250);
        }
    }
}
