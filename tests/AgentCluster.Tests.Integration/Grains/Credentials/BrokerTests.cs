using AgentCluster.Api.V1;
using AgentCluster.Grains.Credentials;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Credentials;

public sealed class BrokerTests(BrokerNodeFixture node) : IClassFixture<BrokerNodeFixture>
{
    private Task<Grant> Request(string session, string action = "read", TimeSpan? ttl = null) =>
        node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest
        {
            Session = session, Resource = "stripe", Action = action,
            Ttl = ttl is { } t ? Duration.FromTimeSpan(t) : null,
        }).ResponseAsync;

    private Task<GrantResolution> Resolve(string token, string session, string host = "api.stripe.com") =>
        node.Grains.GetGrain<IGrantGrain>(GrantTokens.Hash(token)).Resolve(new GrantUse(session, host, ["GET"], OverTls: true));

    [Fact]
    public async Task Every_grant_denial_looks_identical_to_the_caller_and_has_a_distinct_reason_in_the_audit()
    {
        var readOnly = await node.NewSession(node.TenantA, "stripe:read");
        var noPolicy = await node.NewSession(node.TenantA);
        var noSecret = await node.NewSession(node.TenantA, "github:read");
        var ended = await node.NewSession(node.TenantA, "stripe:read");
        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = ended.Id });

        var refusals = new List<RpcException>();
        foreach (var attempt in new Func<Task>[]
        {
            () => Request(readOnly.Id, "write"),
            () => Request(noPolicy.Id),
            () => node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = noSecret.Id, Resource = "github", Action = "read" }).ResponseAsync,
            () => Request(ended.Id),
            () => Request(readOnly.Id, ttl: TimeSpan.FromSeconds(500)),
            () => Request("ses_00000000000000000000000000000000"),
        })
        {
            refusals.Add(await Assert.ThrowsAsync<RpcException>(attempt));
        }

        Assert.All(refusals, e =>
        {
            Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
            Assert.Equal(GrantIssue.Opaque, e.Status.Detail);
            Assert.DoesNotContain(e.Trailers, t => t.Key is not ("date" or "server") && !t.Key.StartsWith("grpc-", StringComparison.Ordinal));
        });
        var denied = (await BrokerAudit.Rows(node.DataDir, node.TenantA)).Where(r => r.Kind == "grant.denied").ToList();
        var reasons = denied.Select(r => r.Reason).ToList();
        Assert.Contains("no-credential", reasons);
        Assert.Contains("session-ended", reasons);
        // What exactly was refused: the action, or the TTL (with what was asked and the most allowed).
        Assert.Contains(denied, r => r.Reason == "action-not-allowed" && r.Detail.Contains("\"allowedGrants\":\"\"", StringComparison.Ordinal));
        Assert.Contains(denied, r => r.Reason == "action-not-allowed" && r.Detail.Contains("\"allowedGrants\":\"stripe:read\"", StringComparison.Ordinal)
            && r.Detail.Contains("\"action\":\"write\"", StringComparison.Ordinal));
        Assert.Contains(denied, r => r.Reason == "ttl-too-long"
            && r.Detail.Contains("\"ttlSeconds\":\"500\"", StringComparison.Ordinal) && r.Detail.Contains("\"maxGrantTtlSeconds\":\"120\"", StringComparison.Ordinal));
        Assert.DoesNotContain("policy", reasons);
    }

    [Fact]
    public async Task A_token_resolves_only_for_its_session_and_host_and_never_after_revocation_expiry_or_session_end()
    {
        var session = await node.NewSession(node.TenantA, "stripe:read");
        var other = await node.NewSession(node.TenantA, "stripe:read");
        var grant = await Request(session.Id);
        Assert.StartsWith("agc_", grant.Token);

        var ok = await Resolve(grant.Token, session.Id);
        Assert.True(ok.Allowed);
        Assert.Equal($"Bearer {BrokerNodeFixture.SecretA}", ok.Headers["Authorization"]);

        Assert.False((await Resolve(grant.Token, other.Id)).Allowed);
        Assert.False((await Resolve(grant.Token, session.Id, "evil.example.com")).Allowed);
        Assert.False((await Resolve(grant.Token, session.Id, "api.stripe.com.evil.example")).Allowed);

        var shortLived = await Request(session.Id, ttl: TimeSpan.FromSeconds(2));
        Assert.True((await Resolve(shortLived.Token, session.Id)).Allowed);
        await Task.Delay(shortLived.ExpiresAt.ToDateTime() - DateTime.UtcNow + TimeSpan.FromMilliseconds(300));
        Assert.False((await Resolve(shortLived.Token, session.Id)).Allowed);

        var revoked = await Request(session.Id);
        var count = await node.Admin.Grants.RevokeGrantsAsync(new RevokeGrantsRequest { Session = session.Id, TokenHashPrefix = revoked.TokenHashPrefix });
        Assert.Equal(1, count.Revoked);
        Assert.False((await Resolve(revoked.Token, session.Id)).Allowed);
        Assert.True((await Resolve(grant.Token, session.Id)).Allowed);

        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        Assert.False((await Resolve(grant.Token, session.Id)).Allowed);

        var reasons = (await BrokerAudit.Rows(node.DataDir, node.TenantA))
            .Where(r => r.Kind == "grant.resolved" && r.Outcome == "denied").Select(r => r.Reason).ToList();
        foreach (var expected in new[] { "wrong-session", "wrong-host", "expired", "revoked", "session-ended" })
            Assert.Contains(expected, reasons);
    }

    [Fact]
    public async Task A_sessions_grant_policy_stays_within_its_tenants_limits()
    {
        var request = new CreateSessionRequest
        {
            Tenant = node.TenantA, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
        };
        // Tenants are read-only by default: write and delete must be allowed by an admin first.
        var write = request.Clone();
        write.AllowGrants.Add("stripe:write");
        Assert.Equal(StatusCode.InvalidArgument,
            (await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.CreateSessionAsync(write).ResponseAsync)).StatusCode);

        var tenant = $"bw-{Guid.NewGuid():N}"[..14];
        var created = await node.Admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = tenant, AllowedGrants = { "stripe:*" }, MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
        });
        Assert.Equal(["stripe:*"], created.AllowedGrants);
        var tooLong = request.Clone();
        tooLong.Tenant = tenant;
        tooLong.AllowGrants.Add("stripe:write");
        tooLong.MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(120));
        Assert.Equal(StatusCode.InvalidArgument,
            (await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.CreateSessionAsync(tooLong).ResponseAsync)).StatusCode);
        var otherResource = request.Clone();
        otherResource.Tenant = tenant;
        otherResource.AllowGrants.Add("github:read");
        Assert.Equal(StatusCode.InvalidArgument,
            (await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.CreateSessionAsync(otherResource).ResponseAsync)).StatusCode);

        var fits = request.Clone();
        fits.Tenant = tenant;
        fits.AllowGrants.Add("stripe:write");
        var session = await node.Admin.Sessions.CreateSessionAsync(fits);
        try
        {
            Assert.Equal("Ready", session.State);
            Assert.Equal(TimeSpan.FromSeconds(30), session.MaxGrantTtl.ToTimeSpan());
        }
        finally
        {
            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        }
    }

    [Fact]
    public async Task Tenant_A_never_gets_tenant_Bs_secret_even_under_the_same_resource_name()
    {
        var session = await node.NewSession(node.TenantA, "stripe:read");
        var grant = await Request(session.Id);
        var resolved = await Resolve(grant.Token, session.Id);
        Assert.Equal($"Bearer {BrokerNodeFixture.SecretA}", resolved.Headers["Authorization"]);
        Assert.DoesNotContain(BrokerNodeFixture.SecretB, string.Join("|", resolved.Headers.Values));

        // A tenant-A admin cannot even name tenant B's vault.
        var adminA = await node.Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = node.TenantA, Roles = { "admin", "orchestrator" } });
        using var asA = new ApiClients(node.Silo.ApiEndpoint, adminA.Secret);
        var list = await Assert.ThrowsAsync<RpcException>(() => asA.Secrets.ListSecretsAsync(new ListSecretsRequest { Tenant = node.TenantB }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, list.StatusCode);
        var sessionB = await node.NewSession(node.TenantB, "stripe:read");
        var cross = await Assert.ThrowsAsync<RpcException>(() => asA.Grants.RequestGrantAsync(new RequestGrantRequest
        {
            Session = sessionB.Id, Resource = "stripe", Action = "read",
        }).ResponseAsync);
        Assert.Equal(GrantIssue.Opaque, cross.Status.Detail);
    }

    [Fact]
    public async Task The_secret_value_is_nowhere_but_the_resolved_header()
    {
        var session = await node.NewSession(node.TenantA, "stripe:read");
        var grant = await Request(session.Id);
        Assert.True((await Resolve(grant.Token, session.Id)).Allowed);
        await Assert.ThrowsAsync<RpcException>(() => Request(session.Id, "delete"));
        var listed = await node.Admin.Secrets.ListSecretsAsync(new ListSecretsRequest { Tenant = node.TenantA });

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", node.AdminKey);
        var dashboard = string.Join("\n", await Task.WhenAll(
            new[] { "/dashboard/", "/dashboard/DashboardCounters", "/dashboard/ClusterStats", "/dashboard/Reminders" }
                .Select(async p => await (await http.GetAsync(node.Silo.AdminEndpoint + p)).Content.ReadAsStringAsync())));

        foreach (var secret in new[] { BrokerNodeFixture.SecretA, BrokerNodeFixture.SecretB })
        {
            Assert.DoesNotContain(node.Silo.Output.Lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(await BrokerAudit.EveryCell(node.DataDir), c => c.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, listed.ToString());
            Assert.DoesNotContain(secret, grant.ToString());
            Assert.DoesNotContain(secret, dashboard);
        }
        Assert.DoesNotContain(await BrokerAudit.EveryCell(node.DataDir), c => c.Contains(grant.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(node.Silo.Output.Lines, l => l.Contains(grant.Token, StringComparison.Ordinal));
    }
}
