using System.Diagnostics;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>A real silo process (the built AgentCluster.Silo.dll) with its own ports and data dir.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    public int ApiPort { get; }
    public int AdminPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public string DataDir { get; }
    public ProcessOutput Output { get; }
    public ProcessOutput Stderr { get; } = new();
    public string ApiEndpoint => $"http://127.0.0.1:{ApiPort}";
    public string AdminEndpoint => $"http://127.0.0.1:{AdminPort}";
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    private SiloProcess(string dataDir, IEnumerable<string> extraArgs, IReadOnlyDictionary<string, string>? env)
    {
        (ApiPort, AdminPort, SiloPort, GatewayPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        DataDir = dataDir;
        Output = new ProcessOutput($"silo-{DateTime.UtcNow:HHmmss}-{ApiPort}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDir,
        };
        info.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var arg in new[]
        {
            $"--AgentCluster:DataDir={dataDir}",
            $"--AgentCluster:Ports:Api={ApiPort}", $"--AgentCluster:Ports:Admin={AdminPort}",
            $"--AgentCluster:Ports:Silo={SiloPort}", $"--AgentCluster:Ports:Gateway={GatewayPort}",
        }.Concat(extraArgs))
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            info.Environment[k] = v;

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Output.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => { Output.Add(e.Data); Stderr.Add(e.Data); };
    }

    public static SiloProcess Start(string dataDir, IEnumerable<string>? args = null, IReadOnlyDictionary<string, string>? env = null)
    {
        Directory.CreateDirectory(dataDir);
        var silo = new SiloProcess(dataDir, args ?? [], env);
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until /healthz answers 200, i.e. the silo is an active member and serving.</summary>
    public async Task WaitHealthyAsync(TimeSpan? limit = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{Output.Tail()}");
            try
            {
                if ((await http.GetAsync($"{AdminEndpoint}/healthz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"silo on {ApiEndpoint} never became healthy:\n{Output.Tail()}");
    }

    /// <summary>SIGKILL: no goodbye to the cluster, exactly like a crashed machine.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as Ctrl-C or an orchestrator would stop it, then wait for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
