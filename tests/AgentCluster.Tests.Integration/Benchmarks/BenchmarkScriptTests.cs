using System.Diagnostics;
using System.Text.RegularExpressions;
using AgentCluster.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace AgentCluster.Tests.Integration.Benchmarks;

/// <summary>
/// Every benchmark script, run to its end in a smoke form (a handful of samples): a benchmark
/// that throws, or prints no result, fails the build instead of rotting until someone runs it.
/// No timing is asserted; the full runs stay by hand.
/// </summary>
public sealed partial class BenchmarkScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    public static TheoryData<string, string[], string> Scripts => new()
    {
        { "run-audit.sh", ["500"], "throughput ratio batched/unbatched: " },
        { "run-grants.sh", ["20", "400"], "resolve throughput vs plain grain read: " },
        { "run-approvals.sh", ["20", "10"], "approvals/s vs durable audit appends/s: " },
        { "run-sessions.sh", ["2", "4", "5"], "pooled / raw: p50 " },
        { "run-egress.sh", ["2", "1"], "throughput: agentcluster " },
        // Its last figure: a density of 3 desktops with a 40 s TTL, after the pool's start-up against a cold one.
        { "run-computer.sh", ["5", "1", "3", "40", "1"], "desktop kill lateness / 1 s bound: p99 " },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task A_benchmark_script_runs_to_its_end_and_prints_its_result(string script, string[] args, string resultLine)
    {
        var (code, stdout, stderr) = await Run(Path.Combine(RepoPaths.Root, "benchmarks", script), args);
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.True(code == 0, $"{script} {string.Join(' ', args)} exited {code}:\n{Tail(stdout)}\n{Tail(stderr)}");
        var result = stdout.Split('\n').FirstOrDefault(l => l.Contains(resultLine, StringComparison.Ordinal));
        Assert.True(result is not null && Ratio().IsMatch(result), $"{script} printed no result line \"{resultLine}…\":\n{Tail(stdout)}");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(string script, string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(script);
        // The test engines already have the desktop image: importing it into an engine of the
        // script's own would be most of the smoke run.
        if (Path.GetFileName(script) == "run-computer.sh")
            start.Environment["BENCH_DOCKER"] = DockerHosts.Endpoints[0];
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM first: the script's own trap stops the engines and databases it started.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()]))
                await term.WaitForExitAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
                process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} took longer than {Limit}:\n{Tail(await stdout)}\n{Tail(await stderr)}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(40));

    /// <summary>A result is a ratio against the baseline of the same run: a number and an x.</summary>
    [GeneratedRegex(@"\d+(\.\d+)?x")]
    private static partial Regex Ratio();
}
