using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Grains.Credentials;

/// <summary>
/// A single node with the test fleet, two tenants with a stripe secret each, and an Orleans client
/// that calls grant grains the way the egress proxy does.
/// </summary>
public sealed class BrokerNodeFixture : IAsyncLifetime
{
    public const string SecretA = "sk_live_tenantA_7Qm2v9XoTopSecretValue";
    public const string SecretB = "sk_live_tenantB_Zz81kLdifferentSecret";

    private readonly TempDir _dir = new();
    private ClusterClient? _client;

    public string TenantA { get; } = $"ba-{Guid.NewGuid():N}"[..14];
    public string TenantB { get; } = $"bb-{Guid.NewGuid():N}"[..14];
    public SiloProcess Silo { get; private set; } = null!;
    public ApiClients Admin { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";
    public string DataDir => _dir.Sub("data");
    public IClusterClient Grains => _client!.Grains;

    public async Task InitializeAsync()
    {
        Silo = SiloProcess.Start(DataDir, [.. DockerHosts.FleetArgs(), "--Logging:LogLevel:Default=Debug"]);
        await Silo.WaitHealthyAsync();
        AdminKey = (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.key"))).Trim();
        Admin = new ApiClients(Silo.ApiEndpoint, AdminKey);
        foreach (var (tenant, secret) in new[] { (TenantA, SecretA), (TenantB, SecretB) })
        {
            await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = tenant, MaxSessions = 20 });
            await Admin.Secrets.PutSecretAsync(new PutSecretRequest
            {
                Tenant = tenant, Resource = "stripe", Hosts = { "api.stripe.com" }, Actions = { "read" },
                Header = "Authorization", Format = "Bearer {secret}", Value = secret,
            });
        }

        _client = await ClusterClient.LocalAsync(Silo.GatewayPort);
        await Admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    public async Task<Session> NewSession(string tenant, params string[] allowGrants)
    {
        var request = new CreateSessionRequest
        {
            Tenant = tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(120)),
        };
        request.AllowGrants.AddRange(allowGrants);
        var session = await Admin.Sessions.CreateSessionAsync(request);
        Assert.Equal("Ready", session.State);
        return session;
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
        Admin?.Dispose();
        await Silo.DisposeAsync();
        await DockerHosts.RemoveAll($"agentcluster.tenant={TenantA}");
        await DockerHosts.RemoveAll($"agentcluster.tenant={TenantB}");
        _dir.Dispose();
    }
}
