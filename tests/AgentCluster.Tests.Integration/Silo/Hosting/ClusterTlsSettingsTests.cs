using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Hosting;

/// <summary>The default at start-up: a PostgreSQL node without TLS settings does not start, unless TLS is explicitly disabled.</summary>
public sealed class ClusterTlsSettingsTests
{
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=postgres;Database=postgres";

    [Fact]
    public async Task A_silo_on_PostgreSQL_without_TLS_settings_exits_with_one_line_naming_them()
    {
        using var dir = new TempDir();
        await using var silo = SiloProcess.Start(dir.Sub("s"),
            ["--AgentCluster:Storage:Provider=postgres", $"--AgentCluster:Storage:ConnectionString={Unreachable}"]);

        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        var line = Assert.Single(silo.Stderr.Lines, l => l.Trim().Length > 0);
        Assert.StartsWith("agentcluster-silo: ", line, StringComparison.Ordinal);
        Assert.Contains("AgentCluster:Cluster:Tls:CertificateFile", line, StringComparison.Ordinal);
        Assert.Contains("AgentCluster:Cluster:Tls:CaFile", line, StringComparison.Ordinal);
        Assert.Contains("AgentCluster:Cluster:Tls:Disabled=true", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_on_PostgreSQL_without_TLS_settings_refuses_to_start_naming_them()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ProxyProcess.StartAsync(FreePort.Next(),
            ["--AgentCluster:Storage:Provider=postgres", $"--AgentCluster:Storage:ConnectionString={Unreachable}"]));

        Assert.Contains("proxy exited with 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("agentcluster-proxy: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AgentCluster:Cluster:Tls:CaFile", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_with_TLS_explicitly_disabled_starts_and_warns_that_its_ports_are_open()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        string[] args = [.. PostgresSilos.Args(db.ConnectionString).Where(a => !a.StartsWith("--AgentCluster:Cluster:Tls:", StringComparison.Ordinal)),
            "--AgentCluster:Cluster:Tls:Disabled=true"];
        await using var silo = SiloProcess.Start(dir.Sub("s"), args, PostgresSilos.Env("agk_test-" + Guid.NewGuid().ToString("N")));

        await silo.WaitHealthyAsync();

        Assert.Contains(silo.Output.Lines, l => l.Contains("Disabled=true: silo and gateway traffic is in clear", StringComparison.Ordinal));
    }
}
