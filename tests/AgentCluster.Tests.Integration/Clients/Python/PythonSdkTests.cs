using System.Diagnostics;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Clients.Python;

/// <summary>
/// The Python SDK's pytest suites (clients/python/tests), one per case, run with Debian's python3 against
/// this fixture's real silo and desktop sessions. A suite fails its case with pytest's own report.
/// </summary>
[Collection(PythonNodeCollection.Name)]
public sealed class PythonSdkTests(PythonNodeFixture node)
{
    [Theory]
    [InlineData("test_stubs.py")]
    [InlineData("test_session.py")]
    [InlineData("test_errors.py")]
    [InlineData("test_grant_proxy.py")]
    [InlineData("test_async.py")]
    [InlineData("test_anthropic.py")]
    [InlineData("test_openai.py")]
    [InlineData("test_example.py")]
    public async Task Pytest_suite_passes(string suite)
    {
        var (code, output) = await Pytest(suite);
        Assert.True(code == 0, $"pytest {suite} exited with {code}:\n{output}");
        Assert.Contains(" passed", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> Pytest(string suite)
    {
        var dir = Path.Combine(RepoPaths.Root, "clients", "python");
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-m", "pytest", "-p", "no:cacheprovider", "-v", "-rA", Path.Combine("tests", suite) })
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in node.Environment)
            info.Environment[key] = value;
        var log = new ProcessOutput($"pytest-{Path.GetFileNameWithoutExtension(suite)}");
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        return (process.ExitCode, string.Join('\n', log.Lines));
    }
}
