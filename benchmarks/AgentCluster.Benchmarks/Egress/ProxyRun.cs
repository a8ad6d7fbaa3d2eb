using System.Diagnostics;

namespace AgentCluster.Benchmarks.Egress;

/// <summary>The real proxy process, joined to the benchmark's cluster through the same storage settings as a silo.</summary>
internal sealed class ProxyRun : IAsyncDisposable
{
    private readonly Process _process;

    private ProxyRun(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<ProxyRun> StartAsync(string proxyDll, string connectionString, string clusterId, int port)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            proxyDll,
            "--AgentCluster:Storage:Provider=postgres", $"--AgentCluster:Storage:ConnectionString={connectionString}",
            $"--AgentCluster:ClusterId={clusterId}", $"--AgentCluster:ServiceId={clusterId}", $"--AgentCluster:Ports:Proxy={port}",
            "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8",
            // The caps protect a cluster from one runaway session; the benchmark is one busy session on purpose.
            "--AgentCluster:Egress:RequestsPerSecond=1000000", "--AgentCluster:Egress:RequestBurst=1000000",
            "--AgentCluster:Egress:MaxConcurrentPerSession=4096",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        // Drain its output so it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("proxy: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var run = new ProxyRun(process, port);
        await Squid.WaitForPort(port, process);
        return run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
