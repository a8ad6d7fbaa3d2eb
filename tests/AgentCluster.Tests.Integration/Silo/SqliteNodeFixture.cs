using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo;

/// <summary>One single-node silo on the embedded SQLite default, bootstrapping its own admin key.</summary>
public sealed class SqliteNodeFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public SiloProcess Silo { get; private set; } = null!;

    public string AdminKey { get; private set; } = "";

    public string DataDir => _dir.Sub("data");

    public async Task InitializeAsync()
    {
        Silo = SiloProcess.Start(DataDir);
        await Silo.WaitHealthyAsync();
        AdminKey = (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.key"))).Trim();
    }

    public ApiClients Clients(string? key) => new(Silo.ApiEndpoint, key);

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        _dir.Dispose();
    }
}
