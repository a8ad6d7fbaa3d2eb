using System.Security.Cryptography;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Credentials;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Grains.Credentials;

public sealed class GrantFailoverTests
{
    [Fact]
    public async Task A_grant_survives_kill_9_of_its_silo_and_still_expires_on_time()
    {
        await using var cluster = await PostgresFleetCluster.StartAsync("gf", env: new Dictionary<string, string>
        {
            ["AGENTCLUSTER_VAULT_KEY"] = "k1=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        using var api = cluster.Admin();
        await api.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = cluster.Tenant, Resource = "stripe", Hosts = { "api.stripe.com" }, Actions = { "read" },
            Header = "Authorization", Format = "Bearer {secret}", Value = "sk_failover_secret",
        });
        var session = await api.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Tenant = cluster.Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            AllowGrants = { "stripe:read" }, MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(45)),
        });
        var grant = await api.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "stripe", Action = "read" });
        var grains = (await cluster.ClientAsync()).Grains;
        var grantGrain = grains.GetGrain<IGrantGrain>(GrantTokens.Hash(grant.Token));
        Assert.True((await grantGrain.Resolve(new GrantUse(session.Id, "api.stripe.com", ["GET"], OverTls: true))).Allowed);

        var victim = await cluster.HostOf(grantGrain);
        victim.Kill();

        // Reactivated elsewhere from storage: still valid before its expiry...
        await WaitFor(async () =>
        {
            try { return (await grantGrain.Resolve(new GrantUse(session.Id, "api.stripe.com", ["GET"], OverTls: true))).Allowed; }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException) { return false; }
        });
        Assert.True(DateTime.UtcNow < grant.ExpiresAt.ToDateTime(), "the failover took longer than the grant's life");
        Assert.NotEqual(victim, await cluster.HostOf(grantGrain));

        // ...and refused once it has expired.
        await Task.Delay(grant.ExpiresAt.ToDateTime() - DateTime.UtcNow + TimeSpan.FromMilliseconds(500));
        Assert.False((await grantGrain.Resolve(new GrantUse(session.Id, "api.stripe.com", ["GET"], OverTls: true))).Allowed);
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
