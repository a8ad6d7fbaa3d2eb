using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

/// <summary>A single node whose fleet is the test engines, with a tenant of its own.</summary>
public sealed class SessionNodeFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string Tenant { get; } = $"ses-{Guid.NewGuid():N}"[..20];

    public SiloProcess Silo { get; private set; } = null!;

    public string AdminKey { get; private set; } = "";

    public ApiClients Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _ = DockerHosts.Endpoints;
        Silo = SiloProcess.Start(_dir.Sub("data"), DockerHosts.FleetArgs(capacity: 40));
        await Silo.WaitHealthyAsync();
        AdminKey = (await File.ReadAllTextAsync(Path.Combine(_dir.Sub("data"), "admin.key"))).Trim();
        Admin = new ApiClients(Silo.ApiEndpoint, AdminKey);
        await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = Tenant,
            MaxSessions = 60,
            MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)),
            AllowedImages = { "agentcluster/sandbox:*" },
        });
        await Admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    public CreateSessionRequest Request(TimeSpan ttl) => new()
    {
        Tenant = Tenant,
        Image = DockerHosts.Image,
        Ttl = Duration.FromTimeSpan(ttl),
    };

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Silo.DisposeAsync();
        await DockerHosts.RemoveAll($"agentcluster.tenant={Tenant}");
        _dir.Dispose();
    }
}
