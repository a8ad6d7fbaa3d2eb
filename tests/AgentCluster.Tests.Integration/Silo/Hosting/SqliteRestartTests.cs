using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Silo.Hosting;

public sealed class SqliteRestartTests
{
    [Fact]
    public async Task The_sqlite_single_node_keeps_grain_state_and_its_admin_key_across_a_restart()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        string key;
        await using (var first = SiloProcess.Start(data))
        {
            await first.WaitHealthyAsync();
            key = (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim();
            using var clients = new ApiClients(first.ApiEndpoint, key);
            await clients.Tenants.CreateTenantAsync(new CreateTenantRequest
            {
                Name = "durable",
                MaxSessions = 7,
                MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(42)),
                AllowedImages = { "registry.example/agent:*" },
            });
            await first.StopAsync();
            Assert.Equal(0, first.ExitCode);
        }

        await using var second = SiloProcess.Start(data);
        await second.WaitHealthyAsync();
        Assert.Equal(key, (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim());
        using var again = new ApiClients(second.ApiEndpoint, key);
        var tenant = await again.Tenants.GetTenantAsync(new GetTenantRequest { Name = "durable" });
        Assert.Equal(7, tenant.MaxSessions);
        Assert.Equal(TimeSpan.FromMinutes(42), tenant.MaxSessionTtl.ToTimeSpan());
        Assert.Equal(["registry.example/agent:*"], tenant.AllowedImages);
    }
}
