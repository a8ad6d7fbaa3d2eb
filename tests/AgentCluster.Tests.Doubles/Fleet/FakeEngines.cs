using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using AgentCluster.Grains.Fleet;
using Docker.DotNet.Models;

namespace AgentCluster.Tests.Doubles.Fleet;

/// <summary>In-memory engines, one per endpoint, shared by every silo of the test cluster.</summary>
public sealed class FakeEngines : IDockerEngines
{
    public static FakeEngines Instance { get; } = new();

    private readonly ConcurrentDictionary<string, FakeEngine> _engines = new();

    public IDockerEngine Get(DockerEndpoint endpoint) => For(endpoint.Uri.ToString());

    public FakeEngine For(string endpoint) => _engines.GetOrAdd(new DockerEndpoint(new Uri(endpoint), null).Uri.ToString(), _ => new FakeEngine());

    /// <summary>A fresh endpoint, so that no two tests share an engine.</summary>
    public static string NewEndpoint() => $"unix:///fake/{Guid.NewGuid():N}.sock";
}

public sealed class FakeEngine : IDockerEngine
{
    private readonly ConcurrentDictionary<string, SandboxContainer> _containers = new();

    public volatile bool Down;

    /// <summary>While set, every kill waits for it to be released.</summary>
    public TaskCompletionSource? KillGate;

    public ConcurrentQueue<string> Killed { get; } = new();

    public int Creates;

    public volatile bool ImageMissing;

    public int KillsWaiting;

    /// <summary>How long a rename takes: wide enough for concurrent claims to interleave.</summary>
    public TimeSpan RenameDelay;

    /// <summary>The next unpause fails, once.</summary>
    public volatile bool FailNextUnpause;

    /// <summary>The next pause fails, once.</summary>
    public volatile bool FailNextPause;

    /// <summary>Containers whose kill fails (the engine answers, the kill does not).</summary>
    public ConcurrentDictionary<string, bool> Unkillable { get; } = new();

    /// <summary>While set, a launch has created its container (a list shows it) but waits for this to return.</summary>
    public TaskCompletionSource? StartGate;

    /// <summary>Where the sandboxes' proxy listens; null, as for an engine without a sandbox network gateway.</summary>
    public volatile string? ProxyAddress;

    /// <summary>The environment each container was created with.</summary>
    public ConcurrentDictionary<string, IList<string>> Env { get; } = new();

    /// <summary>Each container's CPU cap as created (HostConfig.NanoCPUs), then as set.</summary>
    public ConcurrentDictionary<string, long> Cpus { get; } = new();

    /// <summary>Every cap set after the creation, in order.</summary>
    public ConcurrentQueue<(string Container, long NanoCpus)> CpuUpdates { get; } = new();

    /// <summary>While set, a CPU update fails.</summary>
    public volatile bool FailCpuUpdates;

    /// <summary>Backdates what LaunchAsync creates, so the reconcile's claim grace is behind them.</summary>
    public TimeSpan Backdate;

    public IReadOnlyCollection<SandboxContainer> Containers => [.. _containers.Values];

    public string Add(DateTimeOffset deadline, string session, DateTimeOffset? created = null) =>
        Add(new Dictionary<string, string>
        {
            [SandboxLabels.Session] = session,
            [SandboxLabels.Tenant] = "t",
            [SandboxLabels.Deadline] = deadline.ToUnixTimeMilliseconds().ToString(),
        }, created, "running", "");

    public string Add(Dictionary<string, string> labels, DateTimeOffset? created, string state, string name)
    {
        var id = Guid.NewGuid().ToString("N");
        _containers[id] = new SandboxContainer(id, labels, state, created ?? DateTimeOffset.UtcNow, name);
        return id;
    }

    public Task<string?> ProxyAddressAsync(CancellationToken ct = default) => Task.FromResult(ProxyAddress);

    /// <summary>The host's address on the sandbox network, which the canary tries.</summary>
    public volatile string? Gateway = "10.0.0.1";

    /// <summary>What the canary finds per port (open, refused); every other port it tries is silent.</summary>
    public ConcurrentDictionary<int, string> CanaryAnswers { get; } = new();

    /// <summary>While set, a canary run fails with this error.</summary>
    public volatile string? CanaryError;

    public int CanaryRuns;

    /// <summary>While set, a canary run waits for it (a host's first check under way).</summary>
    public TaskCompletionSource? CanaryGate;

    public Task<string?> GatewayAsync(CancellationToken ct = default) => Task.FromResult(Gateway);

    /// <summary>Runs a canary as its script would: a line per port of its <c>for p in …;</c> list.</summary>
    public async Task<string> RunToEndAsync(CreateContainerParameters parameters, TimeSpan limit, CancellationToken ct = default)
    {
        await PingAsync(ct);
        Interlocked.Increment(ref CanaryRuns);
        if (CanaryGate is { } gate)
            await gate.Task;
        if (CanaryError is { } error)
            throw new SandboxLaunchException(error);
        var script = string.Join(' ', parameters.Cmd ?? []);
        if (Regex.Match(script, @"for p in ([0-9 ]+);") is not { Success: true } ports)
            return script.Contains("nogateway", StringComparison.Ordinal) ? "nogateway\n" : "";
        return string.Concat(ports.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => $"{p} {CanaryAnswers.GetValueOrDefault(int.Parse(p, CultureInfo.InvariantCulture), "silent")}\n"));
    }

    public Task<Stream> AttachAsync(string containerId, CancellationToken ct = default) =>
        throw new NotSupportedException("the fake engine runs no process to attach to");

    public Task PingAsync(CancellationToken ct = default) => Down ? throw new TimeoutException("engine is down") : Task.CompletedTask;

    public Task EnsureNetworkAsync(CancellationToken ct = default) => PingAsync(ct);

    public async Task<StartedSandbox> LaunchAsync(CreateContainerParameters parameters, CancellationToken ct = default)
    {
        await PingAsync(ct);
        if (ImageMissing)
            throw new SandboxLaunchException($"image {parameters.Image} is not on this host", imageNotFound: true);
        string id;
        lock (_containers)
        {
            // Names are unique per engine, as on a real one.
            if (_containers.Values.Any(c => c.Name == parameters.Name))
                throw new SandboxLaunchException($"container {parameters.Name} already exists");
            Interlocked.Increment(ref Creates);
            id = Guid.NewGuid().ToString("N");
            _containers[id] = new SandboxContainer(id, new Dictionary<string, string>(parameters.Labels), "running", DateTimeOffset.UtcNow - Backdate, parameters.Name ?? "");
            Env[id] = [.. parameters.Env ?? []];
            Cpus[id] = parameters.HostConfig?.NanoCPUs ?? 0;
        }
        if (StartGate is { } gate)
            await gate.Task;
        return new StartedSandbox(id, "10.0.0.2");
    }

    public async Task PauseAsync(string containerId, CancellationToken ct = default)
    {
        await PingAsync(ct);
        if (FailNextPause)
        {
            FailNextPause = false;
            throw new TimeoutException("pause timed out");
        }
        Set(containerId, c => c with { State = "paused" });
    }

    public async Task UnpauseAsync(string containerId, CancellationToken ct = default)
    {
        await PingAsync(ct);
        if (FailNextUnpause)
        {
            FailNextUnpause = false;
            throw new TimeoutException("unpause timed out");
        }
        Set(containerId, c => c with { State = "running" });
    }

    public async Task SetCpusAsync(string containerId, long nanoCpus, CancellationToken ct = default)
    {
        await PingAsync(ct);
        if (FailCpuUpdates)
            throw new TimeoutException("update timed out");
        if (!_containers.ContainsKey(containerId))
            throw new InvalidOperationException($"no container {containerId}");
        Cpus[containerId] = nanoCpus;
        CpuUpdates.Enqueue((containerId, nanoCpus));
    }

    public async Task RenameAsync(string containerId, string name, CancellationToken ct = default)
    {
        await PingAsync(ct);
        await Task.Delay(RenameDelay, ct);
        lock (_containers)
        {
            if (_containers.Values.Any(c => c.Name == name))
                throw new SandboxLaunchException($"container {name} already exists");
            Set(containerId, c => c with { Name = name });
        }
    }

    private void Set(string containerId, Func<SandboxContainer, SandboxContainer> change)
    {
        lock (_containers)
        {
            if (!_containers.TryGetValue(containerId, out var c))
                throw new InvalidOperationException($"no such container: {containerId}");
            _containers[containerId] = change(c);
        }
    }

    public async Task<bool> KillAsync(string containerId, CancellationToken ct = default)
    {
        await PingAsync(ct);
        if (KillGate is { } gate)
        {
            Interlocked.Increment(ref KillsWaiting);
            await gate.Task;
        }
        if (Unkillable.ContainsKey(containerId))
            throw new InvalidOperationException($"cannot kill {containerId}");
        Killed.Enqueue(containerId);
        return _containers.TryRemove(containerId, out _);
    }

    public async Task<IReadOnlyList<SandboxContainer>> ListSandboxesAsync(CancellationToken ct = default)
    {
        await PingAsync(ct);
        return [.. _containers.Values];
    }

    public Task<ContainerInspectResponse?> InspectAsync(string containerId, CancellationToken ct = default) =>
        Task.FromResult(_containers.TryGetValue(containerId, out var c)
            ? new ContainerInspectResponse { ID = c.Id, Config = new Config { Labels = new Dictionary<string, string>(c.Labels) } }
            : null);
}

/// <summary>Claims every session except the disowned ones.</summary>
public sealed class FakeClaims : ISandboxClaims
{
    public static FakeClaims Instance { get; } = new();

    public ConcurrentDictionary<string, bool> Disowned { get; } = new();

    public Task<bool> IsLive(string sessionId, string containerId) => Task.FromResult(!Disowned.ContainsKey(sessionId));
}
