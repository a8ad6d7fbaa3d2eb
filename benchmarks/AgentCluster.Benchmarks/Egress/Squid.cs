using System.Diagnostics;
using System.Net.Sockets;

namespace AgentCluster.Benchmarks.Egress;

/// <summary>Debian's squid as a plain forward proxy on loopback: no cache, no logs, the comparison point.</summary>
internal sealed class Squid : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private Squid(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<Squid> StartAsync(string binary, int port)
    {
        var dir = Directory.CreateTempSubdirectory("agentcluster-squid-").FullName;
        var config = Path.Combine(dir, "squid.conf");
        await File.WriteAllTextAsync(config, $"""
            http_port 127.0.0.1:{port}
            http_access allow localhost
            http_access deny all
            cache deny all
            cache_mem 8 MB
            access_log none
            cache_log {dir}/cache.log
            pid_filename {dir}/squid.pid
            coredump_dir {dir}
            shutdown_lifetime 1 seconds
            workers 1
            """);
        var info = new ProcessStartInfo(binary) { ArgumentList = { "-N", "-f", config }, RedirectStandardError = true, RedirectStandardOutput = true };
        var process = Process.Start(info)!;
        var squid = new Squid(process, dir, port);
        await WaitForPort(port, process);
        return squid;
    }

    internal static async Task WaitForPort(int port, Process process)
    {
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode} during start-up");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"nothing listens on port {port} after 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
