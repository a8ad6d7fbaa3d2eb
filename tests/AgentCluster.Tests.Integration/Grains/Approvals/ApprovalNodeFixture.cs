using System.Text;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Grains.Approvals;

/// <summary>
/// A single node with the test fleet and one tenant with an orchestrator, an approver and a
/// tenant-admin key. Webhook retries are fast so that a failing listener is retried within a test.
/// </summary>
public sealed class ApprovalNodeFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string Tenant { get; } = $"ap-{Guid.NewGuid():N}"[..14];
    public SiloProcess Silo { get; private set; } = null!;
    public ApiClients Admin { get; private set; } = null!;
    public ApiClients Orchestrator { get; private set; } = null!;
    public ApiClients Approver { get; private set; } = null!;
    public ApiClients TenantAdmin { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";
    public string OrchestratorKey { get; private set; } = "";
    public string ApproverKey { get; private set; } = "";
    public string DataDir => _dir.Sub("data");

    public async Task InitializeAsync()
    {
        Silo = SiloProcess.Start(DataDir,
        [
            .. DockerHosts.FleetArgs(), "--Logging:LogLevel:Default=Debug",
            "--AgentCluster:Approvals:Webhook:FirstRetryDelay=00:00:00.100",
            "--AgentCluster:Approvals:Webhook:MaxAttempts=4",
            "--AgentCluster:Approvals:Webhook:AttemptTimeout=00:00:02",
        ]);
        await Silo.WaitHealthyAsync();
        AdminKey = (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.key"))).Trim();
        Admin = new ApiClients(Silo.ApiEndpoint, AdminKey);
        await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = Tenant, MaxSessions = 20 });
        OrchestratorKey = await Key("orchestrator");
        ApproverKey = await Key("approver");
        Orchestrator = new ApiClients(Silo.ApiEndpoint, OrchestratorKey);
        Approver = new ApiClients(Silo.ApiEndpoint, ApproverKey);
        TenantAdmin = new ApiClients(Silo.ApiEndpoint, await Key("admin"));
        await Admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    private async Task<string> Key(string role) =>
        (await Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = Tenant, Roles = { role } })).Secret;

    public async Task<Session> NewSession()
    {
        var session = await Orchestrator.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Tenant = Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
        });
        Assert.Equal("Ready", session.State);
        return session;
    }

    public Task<AuthorizeResponse> Authorize(string session, string action, string payload) =>
        Orchestrator.Actions.AuthorizeAsync(new AuthorizeRequest
        {
            Session = session, Action = action, Payload = ByteString.CopyFrom(Encoding.UTF8.GetBytes(payload)),
        }).ResponseAsync;

    public Task<Tenant> SetTimeout(TimeSpan timeout) =>
        Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = Tenant, ApprovalTimeout = Duration.FromTimeSpan(timeout) })
            .ResponseAsync.ContinueWith(t => t.Result.Tenant, TaskScheduler.Default);

    public Task<List<(string Kind, string Outcome, string Reason, string Detail)>> AuditRows() => BrokerAudit.Rows(DataDir, Tenant);

    public async Task DisposeAsync()
    {
        foreach (var api in new[] { Admin, Orchestrator, Approver, TenantAdmin })
            api?.Dispose();
        await Silo.DisposeAsync();
        await DockerHosts.RemoveAll($"agentcluster.tenant={Tenant}");
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ApprovalNodeCollection : ICollectionFixture<ApprovalNodeFixture>
{
    public const string Name = "approval-node";
}
