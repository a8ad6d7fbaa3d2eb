using System.Diagnostics;
using System.Net.Sockets;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>A real egress proxy process (the built AgentCluster.Proxy.dll), a client of one silo's gateway.</summary>
public sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;

    public int Port { get; }
    public ProcessOutput Output { get; }

    private ProxyProcess(int port, int gatewayPort, IEnumerable<string> extraArgs)
    {
        Port = port;
        Output = new ProcessOutput($"proxy-{DateTime.UtcNow:HHmmss}-{port}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepoPaths.ProxyDll);
        foreach (var arg in new[] { $"--AgentCluster:Ports:Proxy={port}", $"--AgentCluster:Ports:Gateway={gatewayPort}" }.Concat(extraArgs))
            info.ArgumentList.Add(arg);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Output.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Output.Add(e.Data);
    }

    /// <summary>Starts the proxy on <paramref name="port"/> (a free one when 0) and waits until it accepts connections.</summary>
    public static async Task<ProxyProcess> StartAsync(int gatewayPort, IEnumerable<string>? args = null, int port = 0)
    {
        var proxy = new ProxyProcess(port == 0 ? FreePort.Next() : port, gatewayPort, args ?? []);
        proxy._process.Start();
        proxy._process.BeginOutputReadLine();
        proxy._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (proxy._process.HasExited)
                throw new InvalidOperationException($"proxy exited with {proxy._process.ExitCode}:\n{proxy.Output.Tail()}");
            if (proxy.Output.Contains("egress proxy listening"))
                return proxy;
            await Task.Delay(100);
        }
        await proxy.DisposeAsync();
        throw new TimeoutException($"proxy on port {proxy.Port} never started:\n{proxy.Output.Tail()}");
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM first (the proxy leaves the cluster's registry), SIGKILL if it has not gone within a few seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
                    await term.WaitForExitAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Output.Add("(did not stop within 10 s of SIGTERM: killed)");
            }
            finally
            {
                if (!_process.HasExited)
                    _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>True when something answers TCP on the port.</summary>
    public static async Task<bool> Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
