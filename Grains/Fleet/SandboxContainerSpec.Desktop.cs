using AgentCluster.ComputerProtocol;
using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet;

public sealed partial class SandboxContainerSpec
{
    /// <summary>Chromium keeps its renderers' shared memory in /dev/shm; Docker's 64 MiB runs out.</summary>
    public const long DesktopShmSizeBytes = 256 * SandboxSpec.MiB;

    private readonly SeccompProfile _desktopSeccomp = desktopSeccomp ?? SeccompProfile.Desktop();

    /// <summary>
    /// What a desktop image needs on top of the same hardening, and nothing more:
    /// <list type="bullet">
    /// <item>the desktop seccomp profile, which lets Chromium's own sandbox make its user, PID and
    /// network namespaces (it stays on: a renderer exploit must not own the computer server);</item>
    /// <item>an open stdin, no TTY: the computer server speaks only over its stdio, which the
    /// silo reaches by attaching through the engine API (StdinOnce off, so a detach closes nothing);</item>
    /// <item>no log driver: stdout carries screenshots, which must not pile up in the engine's logs;</item>
    /// <item>a /dev/shm sized for a browser;</item>
    /// <item>the session's first page, if it has one, for the browser to start on.</item>
    /// </list>
    /// The pids limit is the spec's (<see cref="SandboxSpec.CreateDesktop"/> raises it).
    /// </summary>
    /// <summary>
    /// Starts the desktop at the boost's cap when that is more than its own, which the label keeps
    /// for its host to give back (<see cref="Hosts.StartBoost"/>).
    /// </summary>
    private void Boost(CreateContainerParameters parameters, long ownNanoCpus)
    {
        if (DesktopBoost(ownNanoCpus) is not { } boost)
            return;
        parameters.HostConfig.NanoCPUs = boost;
        parameters.Labels[SandboxLabels.Cpus] = ownNanoCpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The start-up boost's cap for a desktop of <paramref name="ownNanoCpus"/>, or null when the boost is off or no more than its own.</summary>
    public long? DesktopBoost(long ownNanoCpus) => desktopBoostNanoCpus > ownNanoCpus ? desktopBoostNanoCpus : null;

    private void AddDesktop(CreateContainerParameters parameters, string? startUrl)
    {
        if (startUrl is not null)
            parameters.Env = [.. parameters.Env, $"{ComputerRequest.StartUrlEnvironmentVariable}={startUrl}"];
        parameters.OpenStdin = true;
        parameters.AttachStdin = true;
        parameters.AttachStdout = true;
        parameters.AttachStderr = true;
        parameters.StdinOnce = false;
        parameters.Tty = false;
        var host = parameters.HostConfig;
        host.SecurityOpt = [.. host.SecurityOpt.Select(o => o.StartsWith("seccomp=", StringComparison.Ordinal) ? "seccomp=" + _desktopSeccomp.Json : o)];
        host.ShmSize = DesktopShmSizeBytes;
        host.LogConfig = new LogConfig { Type = "none" };
    }
}
