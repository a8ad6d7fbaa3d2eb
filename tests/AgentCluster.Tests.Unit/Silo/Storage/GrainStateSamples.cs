using System.Collections.Immutable;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.SignIns;
using AgentCluster.Grains.Tenants;
using I = global::AgentCluster.Grains;

namespace AgentCluster.Tests.Unit.Silo.Storage;

/// <summary>
/// Two states of each persisted type, every field set and no two alike, plus one whose values are
/// their type's defaults (0, false, null, empty): what a restart must read back exactly.
/// </summary>
public static class GrainStateSamples
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 3, 14, 15, TimeSpan.Zero);

    public static IEnumerable<object[]> All() =>
        from sample in Tenants().Concat(Keys()).Concat(Sessions()).Concat(Grants()).Concat(Approvals()).Concat(Fleet()).Concat(Proxies()).Concat(SignIns())
        select new object[] { sample.Name, sample.States };

    public static object[] Of(string name) => (object[])All().Single(s => (string)s[0] == name)[1];

    public sealed record Sample(string Name, object[] States)
    {
        public override string ToString() => Name;
    }

    private static IEnumerable<Sample> Tenants()
    {
        yield return new("tenant", [
            new TenantState
            {
                Exists = true,
                Quotas = new I.Tenants.TenantQuotas(3, TimeSpan.FromMinutes(7), ["myorg/agent:*"]) { AllowedGrants = ["stripe:write"], MaxGrantTtl = TimeSpan.FromSeconds(90), DefaultNanoCpus = 500_000_000, MaxNanoCpus = 4_000_000_000 },
                CreatedAt = T0, KeyIds = ["key_aaaaaaaaaaaaaaaa"], BootstrapKeyId = null,
                LiveSessions = new(StringComparer.Ordinal) { "ses_a1" }, Sessions = ["ses_a0", "ses_a1"],
                Approvals = new I.Approvals.ApprovalPolicy(TimeSpan.FromSeconds(120),
                    new(StringComparer.Ordinal) { ["browser.click"] = I.Approvals.RiskLevel.Irreversible }, "https://hooks.example/a"),
            },
            new TenantState
            {
                Exists = true,
                Quotas = new I.Tenants.TenantQuotas(20, TimeSpan.FromMinutes(30), ["agentcluster/sandbox:*", "b/*"]) { AllowedGrants = ["*:read", "github:delete"], MaxGrantTtl = TimeSpan.FromSeconds(45) },
                CreatedAt = T0.AddHours(1), KeyIds = ["key_bbbbbbbbbbbbbbbb", "key_cccccccccccccccc"], BootstrapKeyId = "key_bbbbbbbbbbbbbbbb",
                LiveSessions = new(StringComparer.Ordinal), Sessions = [],
                Approvals = new I.Approvals.ApprovalPolicy(TimeSpan.FromHours(2),
                    new(StringComparer.Ordinal) { ["shell.exec"] = I.Approvals.RiskLevel.Reversible, ["sql.drop"] = I.Approvals.RiskLevel.RecoverableWithAudit }, null),
            },
            // The system tenant: no sessions at all, which the old reader took for "unset".
            new TenantState
            {
                Exists = true,
                Quotas = new I.Tenants.TenantQuotas(0, TimeSpan.Zero, []) { AllowedGrants = [], MaxGrantTtl = TimeSpan.Zero, DefaultNanoCpus = 0, MaxNanoCpus = 0 },
                Approvals = new I.Approvals.ApprovalPolicy(TimeSpan.Zero, new(StringComparer.Ordinal), null),
            },
        ]);
        yield return new("tenant registry", [
            new TenantRegistryState { Names = new(StringComparer.Ordinal) { "gamma", "system", "Zeta", "a-b", "ab" } },
            new TenantRegistryState { Names = new(StringComparer.Ordinal) { "acme" } },
            new TenantRegistryState(),
        ]);
    }

    private static IEnumerable<Sample> Keys()
    {
        yield return new("api key", [
            new ApiKeyState { Tenant = "gamma", HashHex = new string('a', 64), Roles = ["orchestrator", "auditor"], CreatedAt = T0, RevokedAt = T0.AddDays(1) },
            new ApiKeyState { Tenant = "system", HashHex = new string('b', 64), Roles = ["admin"], CreatedAt = T0.AddMinutes(3) },
            new ApiKeyState { Tenant = "acme", HashHex = "", Roles = [] },
        ]);
    }

    private static IEnumerable<Sample> Sessions()
    {
        yield return new("session", [
            new SessionState
            {
                Tenant = "gamma", Image = "myorg/agent:1", Status = I.Sessions.SessionStatus.Ready, Host = "h1",
                ContainerId = new string('c', 64), ContainerIp = "10.211.0.5", CreatedAt = T0, Deadline = T0.AddMinutes(7),
                Reason = "r", AllowHosts = ["api.stripe.com:443"], AllowGrants = ["stripe:read"], MaxGrantTtl = TimeSpan.FromSeconds(60),
                IdleTimeout = TimeSpan.FromMinutes(2), ProxyCredentialHash = new string('d', 64), CreatedBy = "key_aaaaaaaaaaaaaaaa",
                HeldGrants = new(StringComparer.Ordinal) { ["g1"] = new HeldGrant(T0.AddMinutes(1), ["api.stripe.com"]) },
            },
            new SessionState
            {
                Tenant = "acme", Image = "agentcluster/sandbox:local", Status = I.Sessions.SessionStatus.Lost, Host = "h2",
                CreatedAt = T0.AddHours(2), Deadline = T0.AddHours(3), AllowHosts = [], AllowGrants = [], MaxGrantTtl = TimeSpan.Zero,
                HeldGrants = new(StringComparer.Ordinal),
            },
            new SessionState { Tenant = "system", Status = I.Sessions.SessionStatus.Pending },
        ]);
    }

    private static IEnumerable<Sample> Grants()
    {
        yield return new("grant", [
            new GrantState { Grant = new I.Credentials.GrantRecord("ses_a1", "gamma", "stripe", "read", T0.AddMinutes(1)), RevokedReason = "session-ended" },
            new GrantState { Grant = new I.Credentials.GrantRecord("ses_b1", "acme", "github", "delete", T0.AddMinutes(5)) },
            new GrantState(),
        ]);
    }

    private static IEnumerable<Sample> Approvals()
    {
        yield return new("approval", [
            new ApprovalState
            {
                Request = new I.Approvals.ApprovalRequest("gamma", "ses_a1", "payments.refund",
                    new I.Approvals.ActionClassification(I.Approvals.RiskLevel.Irreversible, "rule"), new string('e', 64), "{\"amount\":5}", T0.AddMinutes(2), "key_aaaaaaaaaaaaaaaa")
                {
                    Requesters = ["key_aaaaaaaaaaaaaaaa", "key_dddddddddddddddd"],
                },
                Status = I.Approvals.ApprovalStatus.Approved, CreatedAt = T0, DecidedBy = "key_bbbbbbbbbbbbbbbb", DecidedAt = T0.AddMinutes(1), Note = "ok", Outcome = "done",
            },
            new ApprovalState
            {
                Request = new I.Approvals.ApprovalRequest("acme", "ses_b1", "email.send",
                    new I.Approvals.ActionClassification(I.Approvals.RiskLevel.RecoverableWithAudit, "unknown"), "", "", T0.AddHours(1), "key_cccccccccccccccc"),
                Status = I.Approvals.ApprovalStatus.Pending, CreatedAt = T0.AddMinutes(30),
            },
            new ApprovalState(),
        ]);
        yield return new("approval screen", [
            new ApprovalScreenState { Screen = new I.Approvals.ApprovalScreen([0x89, 0x50, 0x4e, 0x47, 1, 2], 640, 400, T0.AddSeconds(3)) },
            new ApprovalScreenState { Screen = new I.Approvals.ApprovalScreen([0x89, 0x50, 0x4e, 0x47, 9], 320, 200, T0.AddMinutes(4)) },
            new ApprovalScreenState(),
        ]);
    }

    private static IEnumerable<Sample> Fleet()
    {
        yield return new("docker host", [
            new DockerHostState
            {
                Registered = true, Endpoint = "unix:///tmp/d1/docker.sock", TlsDir = "/etc/tls", Capacity = 40,
                Labels = new(StringComparer.Ordinal) { ["zone"] = "a", ["gpu"] = "no" }, Draining = true, Health = I.Fleet.HostHealth.Unhealthy,
                Sessions = new(StringComparer.Ordinal) { "ses_a1", "ses_a2" },
                Extensions = new(StringComparer.Ordinal) { [new string('c', 64)] = T0.AddHours(1) },
            },
            new DockerHostState
            {
                Registered = true, Endpoint = "tcp://127.0.0.1:2376", Capacity = 0, Health = I.Fleet.HostHealth.Healthy,
                Labels = new(StringComparer.Ordinal), Sessions = new(StringComparer.Ordinal), Extensions = new(StringComparer.Ordinal),
            },
            new DockerHostState { Health = I.Fleet.HostHealth.Unknown },
        ]);
        yield return new("fleet", [
            new FleetState { Hosts = new(StringComparer.Ordinal) { "h2", "H1", "local" } },
            new FleetState { Hosts = new(StringComparer.Ordinal) { "only" } },
            new FleetState(),
        ]);
    }

    private static IEnumerable<Sample> Proxies()
    {
        yield return new("egress proxy registry", [
            new EgressProxyRegistryState { Proxies = new(StringComparer.Ordinal) { ["proxy-a"] = [1, 2, 3], ["proxy-b"] = [0] } },
            new EgressProxyRegistryState { Proxies = new(StringComparer.Ordinal) { ["proxy-c"] = [] } },
            new EgressProxyRegistryState(),
        ]);
    }

    private static IEnumerable<Sample> SignIns()
    {
        yield return new("console sign-in", [
            new ConsoleSignInState
            {
                SignIn = new ConsoleSignIn(new string('a', 64), "key_aaaaaaaaaaaaaaaa", "gamma", "csrf-a", T0, T0.AddHours(8), TimeSpan.FromHours(1)),
                LastUsedAt = T0.AddMinutes(5),
            },
            new ConsoleSignInState
            {
                SignIn = new ConsoleSignIn(new string('b', 64), "key_bbbbbbbbbbbbbbbb", "system", "csrf-b", T0.AddDays(1), T0.AddDays(1).AddMinutes(30), TimeSpan.FromMinutes(7)),
                LastUsedAt = T0.AddDays(1),
            },
            new ConsoleSignInState(),
        ]);
    }
}
