using AgentCluster.Api.V1;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Silo.Storage;

/// <summary>
/// Two or more grains of every persisted kind, each with values no other has (tenants, keys,
/// the tenant list, sessions, grants, approvals and the inbox, Docker hosts and the fleet), written
/// through the API a silo serves; and what a silo reads of them, field by field.
/// </summary>
public sealed class PersistedWorld(string prefix)
{
    public const string StripeHost = "api.stripe.com";

    public string A { get; } = $"{prefix}a";
    public string B { get; } = $"{prefix}b";
    public string SpareHost { get; } = $"{prefix}spare";
    public List<string> Sessions { get; } = [];
    public List<string> Approvals { get; } = [];
    public List<(string Session, string TokenHash)> Grants { get; } = [];
    public List<string> RevokedKeys { get; } = [];

    public async Task WriteAsync(ApiClients admin, string endpoint)
    {
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = A, MaxSessions = 3, MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(7)),
            AllowedImages = { "myorg/agent:*" }, AllowedGrants = { "stripe:write" }, MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(90)),
        });
        await admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Name = A, ApprovalTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(120)), RiskOverrides = { ["browser.click"] = "Irreversible" }, ReplaceRiskOverrides = true,
        });
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = B, MaxSessions = 20, MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)),
            AllowedImages = { "agentcluster/sandbox:*", "other/*" }, AllowedGrants = { "stripe:read" },
        });
        await admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Name = B, ApprovalTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(40)), RiskOverrides = { ["shell.exec"] = "Reversible" }, ReplaceRiskOverrides = true,
        });

        await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = A, Roles = { "orchestrator", "auditor" } });
        var revoked = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = A, Roles = { "admin" } });
        await admin.Keys.RevokeKeyAsync(new RevokeKeyRequest { Id = revoked.Key.Id });
        RevokedKeys.Add(revoked.Key.Id);
        var approverKey = (await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = B, Roles = { "approver" } })).Secret;

        await admin.Hosts.AddHostAsync(new AddHostRequest
        {
            Name = SpareHost, Endpoint = $"unix:///nonexistent/{SpareHost}.sock", Capacity = 5, Labels = { ["zone"] = "spare", ["gpu"] = "none" },
        });
        await admin.Hosts.DrainHostAsync(new DrainHostRequest { Name = SpareHost });

        await admin.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = B, Resource = "stripe", Hosts = { StripeHost }, Actions = { "read" }, Header = "Authorization",
            Format = "Bearer {secret}", Value = "sk_live_restart_" + Guid.NewGuid().ToString("N"),
        });
        foreach (var (allow, ttl) in new[] { ("api.stripe.com", 20), ("*.example.org:8443", 25) })
        {
            var session = await admin.Sessions.CreateSessionAsync(new CreateSessionRequest
            {
                Tenant = B, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(ttl)),
                AllowHosts = { allow }, AllowGrants = { "stripe:read" }, MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(ttl * 10)),
            });
            Assert.Equal("Ready", session.State);
            Sessions.Add(session.Id);
            var grant = await admin.Grants.RequestGrantAsync(new RequestGrantRequest
            {
                Session = session.Id, Resource = "stripe", Action = "read", Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(ttl * 10)),
            });
            Grants.Add((session.Id, GrantTokens.Hash(grant.Token)));
            var held = await admin.Actions.AuthorizeAsync(new AuthorizeRequest { Session = session.Id, Action = $"restart.unknown.{ttl}", Payload = ByteString.CopyFromUtf8($"{{\"n\":{ttl}}}") });
            Assert.Equal("pending", held.Decision);
            Approvals.Add(held.ApprovalId);
        }
        // One decided, one still waiting in the inbox.
        using var approver = new ApiClients(endpoint, approverKey);
        await approver.Approvals.ApproveAsync(new DecideRequest { Id = Approvals[0], Note = "approved before the restart" });
    }

    /// <summary>Everything a silo says about the world, one line per grain, each a field-by-field JSON.</summary>
    public async Task<SortedDictionary<string, string>> ReadAsync(ApiClients admin, IClusterClient grains)
    {
        var read = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var tenants = await admin.Tenants.ListTenantsAsync(new ListTenantsRequest());
        read["tenants"] = string.Join(",", tenants.Tenants.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tenant in tenants.Tenants.Where(t => t.Name is "system" || t.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            read[$"tenant {tenant.Name}"] = Json(tenant);
            read[$"tenant {tenant.Name} get"] = Json(await admin.Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name }));
            read[$"tenant {tenant.Name} keys"] = Json(await admin.Keys.ListKeysAsync(new ListKeysRequest { Tenant = tenant.Name }));
            var grain = grains.GetGrain<ITenantGrain>(tenant.Name);
            read[$"tenant {tenant.Name} sessions"] = string.Join(",", await grain.ListSessions());
            read[$"tenant {tenant.Name} live sessions"] = string.Join(",", await grain.ListLiveSessions());
            read[$"tenant {tenant.Name} approvals"] = string.Join(",",
                (await admin.Approvals.ListApprovalsAsync(new ListApprovalsRequest { Tenant = tenant.Name })).Approvals.Select(a => $"{a.Id}:{a.Status}"));
        }
        foreach (var host in (await admin.Hosts.ListHostsAsync(new ListHostsRequest())).Hosts)
            read[$"host {host.Name}"] = $"{host.Endpoint} capacity={host.Capacity} draining={host.Draining} labels={string.Join(",", host.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))}";
        foreach (var id in Sessions)
            read[$"session {id}"] = Json(await admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = id }));
        foreach (var id in Approvals)
            read[$"approval {id}"] = Json(await admin.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = id }));
        foreach (var (session, hash) in Grants)
        {
            var resolved = await grains.GetGrain<IGrantGrain>(hash).Resolve(new GrantUse(session, StripeHost, ["GET"], OverTls: true));
            read[$"grant {hash[..12]}"] = $"allowed={resolved.Allowed}";
        }
        return read;
    }

    private static string Json(IMessage message) => JsonFormatter.Default.Format(message);
}
