using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Hosting;

/// <summary>
/// A normal start, as <c>./build.sh run</c> makes it (the embedded SQLite node, first start, one Docker
/// engine as host <c>local</c>), logs no warning: not Orleans' watchdog reading its own unset timestamp as a
/// stall of the machine's uptime, not Kestrel on HTTP/2 without TLS, not the new admin key.
/// </summary>
public sealed class QuietStartTests
{
    private static readonly string[] Loud = ["warn:", "fail:", "crit:"];

    [Fact]
    public async Task A_normal_start_logs_no_warning()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        await using var silo = SiloProcess.Start(data, [$"--AgentCluster:Docker:Endpoint={DockerHosts.Endpoints[0]}"]);
        await silo.WaitHealthyAsync();
        using var admin = new ApiClients(silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim());
        await admin.WaitForHealthyHostsAsync(1);
        // The watchdog looks every second from its start; let it look a few times more before reading the log.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.True(silo.Output.Contains("AgentCluster silo serving after"), silo.Output.Tail());
        var loud = LoudEntries(silo.Output.Lines);
        Assert.True(loud.Count == 0, "warnings at start:\n" + string.Join("\n\n", loud) + "\n\n" + silo.Output.Tail(60));
    }

    /// <summary>Each loud entry whole: the console logger puts its message and exception on the indented lines below.</summary>
    private static List<string> LoudEntries(IReadOnlyList<string> lines) =>
        [.. lines.Select((line, i) => (line, i))
            .Where(x => Loud.Any(p => x.line.StartsWith(p, StringComparison.Ordinal)))
            .Select(x => string.Join('\n', lines.Skip(x.i).Take(1).Concat(lines.Skip(x.i + 1).TakeWhile(l => l.StartsWith(' ')).Take(20))))];
}
