using AgentCluster.Api.V1;
using AgentCluster.Grains.Egress;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Proxy;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// Sessions served from the warm pool get egress exactly as cold ones do, through the credential
/// their container was made with: useless before the claim and after the kill, bound to one
/// session of one tenant, never shared.
/// </summary>
public sealed class PooledEgressTests(PooledEgressNodeFixture node) : IClassFixture<PooledEgressNodeFixture>
{
    [Fact]
    public async Task A_pooled_sandbox_reaches_the_upstream_through_its_proxy_with_its_own_credential_and_its_stub_swapped()
    {
        var session = await node.PooledSession(await node.IdleCredentials(), node.Tenant, $"127.0.0.1:{node.Upstream.Port}");
        var gateway = new Uri(session.ProxyUrl).Host;
        await using var onGateway = await ProxyProcess.StartAsync(node.Silo.GatewayPort,
            [$"--AgentCluster:ListenAddress={gateway}", "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8"], node.ProxyPort);
        var stub = (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "echo", Action = "read" })).Token;
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
        var before = node.Upstream.Requests.Count;

        var (code, output) = await DockerHosts.Docker(endpoint, "exec", session.Session.ContainerId, "sh", "-c",
            SandboxShell.GetThroughOwnProxy(node.Upstream.Port, "/from-pooled-sandbox", stub));

        Assert.True(code == 0, $"nc exited {code}: {output}");
        Assert.StartsWith("HTTP/1.1 200", output, StringComparison.Ordinal);
        var received = Assert.Single(node.Upstream.Requests.Skip(before));
        Assert.Equal("GET /from-pooled-sandbox HTTP/1.1", received.RequestLine);
        Assert.Equal($"Bearer {EgressNodeFixture.Secret}", Assert.Single(received.Header("Authorization")));
        Assert.DoesNotContain(EgressNodeFixture.Secret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pool_credential_gets_407_before_its_claim_and_after_its_session_is_killed()
    {
        var idle = await node.IdleCredentials();
        foreach (var (user, secret) in idle.Values)
            Assert.Equal(407, (await node.Get(user, secret)).Status);
        var before = node.Upstream.Requests.Count;

        var session = await node.PooledSession(idle, node.Tenant, $"127.0.0.1:{node.Upstream.Port}");
        Assert.Equal(200, (await node.Get(session.User, session.Secret)).Status);
        Assert.Equal(1, node.Upstream.Requests.Count - before);
        foreach (var (user, secret) in idle.Values.Where(c => c.User != session.User))
            Assert.Equal(407, (await node.Get(user, secret)).Status);
        Assert.Equal(407, (await node.Get(session.User, session.Secret + "x")).Status);

        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        Assert.Equal(407, (await node.Get(session.User, session.Secret)).Status);
        Assert.Equal(1, node.Upstream.Requests.Count - before);
    }

    [Fact]
    public async Task Concurrent_claims_never_share_a_credential_and_each_opens_only_its_own_sessions_allowlist()
    {
        var idle = await node.IdleCredentials();
        var sessions = await Task.WhenAll(
            node.PooledSession(idle, node.Tenant, $"127.0.0.1:{node.Upstream.Port}"),
            node.PooledSession(idle, node.Tenant));

        Assert.NotEqual(sessions[0].Session.ContainerId, sessions[1].Session.ContainerId);
        Assert.NotEqual(sessions[0].User, sessions[1].User);
        Assert.Equal(200, (await node.Get(sessions[0].User, sessions[0].Secret)).Status);
        // The second session allows no host: its credential carries its policy, not the first's.
        Assert.Equal(403, (await node.Get(sessions[1].User, sessions[1].Secret)).Status);
        Assert.Equal(407, (await node.Get(sessions[1].User, sessions[0].Secret)).Status);
    }

    [Fact]
    public async Task A_credential_bound_to_one_tenants_session_is_never_bound_to_another_tenants()
    {
        var other = $"eo-{Guid.NewGuid():N}"[..14];
        await node.Admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = other, MaxSessions = 5 });
        try
        {
            var idle = await node.IdleCredentials();
            var mine = await node.PooledSession(idle, node.Tenant, $"127.0.0.1:{node.Upstream.Port}");
            var theirs = await node.PooledSession(idle, other, $"127.0.0.1:{node.Upstream.Port}");
            Assert.NotEqual(mine.User, theirs.User);

            // A claim that would take it over is refused; it stays the first session's alone.
            var credential = node.Grains.GetGrain<IPooledCredentialGrain>(mine.User);
            Assert.Null(await credential.Bind(theirs.Id, other));
            Assert.Equal(mine.Id, await credential.BoundSession());

            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = mine.Id });
            Assert.Null(await credential.Bind(theirs.Id, other));
            Assert.Equal(407, (await node.Get(mine.User, mine.Secret)).Status);
            Assert.Equal(200, (await node.Get(theirs.User, theirs.Secret)).Status);
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={other}");
        }
    }
}
