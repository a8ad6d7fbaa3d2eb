using System.Diagnostics;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Build;

/// <summary>
/// A checkout as far as <c>./build.sh run</c> can tell, in a folder of its own: its own copy of build.sh and
/// deploy/, and this checkout's build output through a <c>bin</c> link (nothing is built twice). Its run
/// starts with <c>--no-build</c> and the given switches, and is stopped as a terminal would stop it in the
/// background: SIGTERM (a background job ignores SIGINT).
/// </summary>
public sealed class RunCheckout : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(2);

    private readonly Process _run;

    public string Root { get; }

    public int ApiPort { get; } = FreePort.Next();

    public string ApiEndpoint => $"http://127.0.0.1:{ApiPort}";

    public ProcessOutput Output { get; }

    public string DockerRoot => Path.Combine(Root, "data", "docker");

    private RunCheckout(string root)
    {
        Root = root;
        Output = new ProcessOutput($"run-{Path.GetFileName(root)}-{DateTime.UtcNow:HHmmss}");
        var info = new ProcessStartInfo("bash", ["./build.sh", "run", "--no-build",
            $"--AgentCluster:Ports:Api={ApiPort}", $"--AgentCluster:Ports:Admin={FreePort.Next()}",
            $"--AgentCluster:Ports:Proxy={FreePort.Next()}", $"--AgentCluster:Ports:Silo={FreePort.Next()}",
            $"--AgentCluster:Ports:Gateway={FreePort.Next()}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root,
        };
        // Its own engine, as a run as root without one answering starts.
        info.Environment.Remove("DOCKER_HOST");
        _run = new Process { StartInfo = info };
        _run.OutputDataReceived += (_, e) => Output.Add(e.Data);
        _run.ErrorDataReceived += (_, e) => Output.Add(e.Data);
    }

    public static RunCheckout Create(string root)
    {
        Directory.CreateDirectory(root);
        File.Copy(Path.Combine(RepoPaths.Root, "build.sh"), Path.Combine(root, "build.sh"));
        Copy(Path.Combine(RepoPaths.Root, "deploy"), Path.Combine(root, "deploy"));
        // The desktop image's recipe hashes the computer server's sources: the same sources find it in the
        // machine's image cache (built by ./build.sh test before the tests) instead of building it again.
        Copy(Path.Combine(RepoPaths.Root, "Sandbox"), Path.Combine(root, "Sandbox"));
        foreach (var file in (string[])["Directory.Build.props", "Directory.Packages.props", "global.json"])
            File.Copy(Path.Combine(RepoPaths.Root, file), Path.Combine(root, file));
        var bin = Path.Combine(RepoPaths.Root, "bin");
        if (!File.Exists(Path.Combine(bin, "silo")))
            throw new InvalidOperationException($"{bin}/silo is missing: ./build.sh build writes the launchers this test runs");
        Directory.CreateSymbolicLink(Path.Combine(root, "bin"), bin);
        return new RunCheckout(root);
    }

    public void Start()
    {
        _run.Start();
        _run.BeginOutputReadLine();
        _run.BeginErrorReadLine();
    }

    public bool HasExited => _run.HasExited;

    /// <summary>Until it prints that it runs: engine, image, silo, tenant default and proxy are up.</summary>
    public async Task WaitRunningAsync()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (!Output.Contains("AgentCluster is running"))
        {
            if (_run.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"./build.sh run in {Root} {(_run.HasExited ? $"exited with {_run.ExitCode}" : "did not start")}:\n{Output.Tail(60)}");
            await Task.Delay(500);
        }
    }

    /// <summary>agentctl from the checkout, with the cluster-admin key its run wrote to its data/admin.key.</summary>
    public Task<AgentctlResult> Agentctl(params string[] args) => Infrastructure.Agentctl.RunInAsync(Root, ApiEndpoint, null, args);

    /// <summary>SIGTERM, and its exit code once it has stopped everything it started.</summary>
    public async Task<int> StopAsync()
    {
        if (!_run.HasExited)
            Process.Start("kill", ["-TERM", _run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var limit = new CancellationTokenSource(StopLimit);
        await _run.WaitForExitAsync(limit.Token);
        return _run.ExitCode;
    }

    /// <summary>
    /// After a failure: a run that does not stop on SIGTERM is killed with everything it started, and its
    /// engine is taken down the way the scripts do (leftover processes, mounts, bridge); then its folder goes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_run.StartInfo.FileName.Length > 0 && IsStarted())
        {
            try
            {
                await StopAsync();
            }
            catch (OperationCanceledException)
            {
                _run.Kill(entireProcessTree: true);
                await _run.WaitForExitAsync();
            }
            await EngineScripts.Try("dockerd_stop \"$1\"", DockerRoot);
        }
        _run.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool IsStarted()
    {
        try
        {
            _ = _run.Id;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
            Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
