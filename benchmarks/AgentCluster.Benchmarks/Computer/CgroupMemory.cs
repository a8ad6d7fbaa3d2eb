using System.Globalization;
using Docker.DotNet;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// A container's memory as its cgroup (v2) counts it, read on this machine: the cgroup of its init
/// process, from the host's side. Null when the engine is not local or the cgroup is gone.
/// </summary>
internal static class CgroupMemory
{
    public static async Task<(double CurrentMiB, double AnonMiB)?> ReadAsync(IDockerClient docker, string containerId)
    {
        var pid = (await docker.Containers.InspectContainerAsync(containerId)).State.Pid;
        try
        {
            var line = (await File.ReadAllLinesAsync($"/proc/{pid}/cgroup")).First(l => l.StartsWith("0::", StringComparison.Ordinal));
            var dir = "/sys/fs/cgroup" + line[3..];
            var current = long.Parse((await File.ReadAllTextAsync(Path.Combine(dir, "memory.current"))).Trim(), CultureInfo.InvariantCulture);
            var anon = (await File.ReadAllLinesAsync(Path.Combine(dir, "memory.stat")))
                .Select(l => l.Split(' ')).First(f => f[0] == "anon")[1];
            return (current / 1048576.0, long.Parse(anon, CultureInfo.InvariantCulture) / 1048576.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    public static double HostTotalMiB() =>
        long.Parse(File.ReadAllLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}
