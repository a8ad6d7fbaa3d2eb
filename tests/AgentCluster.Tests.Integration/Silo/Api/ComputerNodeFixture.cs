using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Grains.Computer;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>
/// A single node on the test engines (every one has the desktop image) with three tenants that
/// may run desktops: <see cref="Main"/>; <see cref="Gated"/>, which made browser.click
/// Irreversible before any of its sessions existed; and <see cref="Stranger"/>.
/// </summary>
public class ComputerNodeFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string DesktopImage { get; } = Environment.GetEnvironmentVariable(DesktopContainer.ImageVariable) is { Length: > 0 } image
        ? image
        : throw new InvalidOperationException($"{DesktopContainer.ImageVariable} is not set: ./build.sh test builds the desktop image and sets it");

    public SiloProcess Silo { get; private set; } = null!;
    public ApiClients Admin { get; private set; } = null!;
    public ComputerTenant Main { get; private set; } = null!;
    public ComputerTenant Gated { get; private set; } = null!;
    public ComputerTenant Stranger { get; private set; } = null!;
    public string DataDir => _dir.Sub("data");

    /// <summary>More switches for the silo, after the fleet's.</summary>
    protected virtual IEnumerable<string> SiloArgs => [];

    /// <summary>A path in the fixture's own directory, removed with it.</summary>
    protected string TempPath(string name) => _dir.Sub(name);

    public virtual async Task InitializeAsync()
    {
        Silo = SiloProcess.Start(DataDir, DockerHosts.FleetArgs().Concat(SiloArgs));
        await Silo.WaitHealthyAsync();
        Admin = new ApiClients(Silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.key"))).Trim());
        Main = await Tenant("cmp");
        Gated = await Tenant("gat");
        Stranger = await Tenant("str");
        await Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Name = Gated.Name, RiskOverrides = { ["browser.click"] = "Irreversible" }, ReplaceRiskOverrides = true,
        });
        await Admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
    }

    /// <summary>A tenant of its own, with an orchestrator and an approver key: for a test that changes its policy.</summary>
    public async Task<ComputerTenant> Tenant(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..16];
        await Admin.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Name = name, MaxSessions = 20, AllowedImages = { "agentcluster/desktop:*", "agentcluster/sandbox:*" },
        });
        async Task<ApiClients> Key(string role) => new(Silo.ApiEndpoint,
            (await Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = name, Roles = { role } })).Secret);
        return new ComputerTenant(name, DesktopImage, DataDir, await Key("orchestrator"), await Key("approver"));
    }

    public virtual async Task DisposeAsync()
    {
        Admin?.Dispose();
        foreach (var tenant in new[] { Main, Gated, Stranger })
            tenant?.Dispose();
        await Silo.DisposeAsync();
        foreach (var tenant in new[] { Main, Gated, Stranger })
        {
            if (tenant is not null)
                await DockerHosts.RemoveAll($"agentcluster.tenant={tenant.Name}");
        }
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ComputerNodeCollection : ICollectionFixture<ComputerNodeFixture>
{
    public const string Name = "computer-node";
}
