using System.Globalization;
using Docker.DotNet;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// A container's memory as its cgroup counts it, read on this machine from the host's side: the
/// memory cgroup of its init process. cgroup v2: memory.current and the anon of memory.stat; v1:
/// memory.usage_in_bytes and total_rss. Null when the engine is not local or the cgroup is gone.
/// </summary>
internal static class CgroupMemory
{
    public static async Task<(double CurrentMiB, double AnonMiB)?> ReadAsync(IDockerClient docker, string containerId)
    {
        var pid = (await docker.Containers.InspectContainerAsync(containerId)).State.Pid;
        try
        {
            var lines = await File.ReadAllLinesAsync($"/proc/{pid}/cgroup");
            var (dir, current, anon) = lines.FirstOrDefault(l => l.Split(':')[1] == "memory") is { } v1
                ? ("/sys/fs/cgroup/memory" + v1.Split(':', 3)[2], "memory.usage_in_bytes", "total_rss")
                : ("/sys/fs/cgroup" + lines.First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..], "memory.current", "anon");
            var bytes = long.Parse((await File.ReadAllTextAsync(Path.Combine(dir, current))).Trim(), CultureInfo.InvariantCulture);
            var rss = (await File.ReadAllLinesAsync(Path.Combine(dir, "memory.stat"))).Select(l => l.Split(' ')).First(f => f[0] == anon)[1];
            return (bytes / 1048576.0, long.Parse(rss, CultureInfo.InvariantCulture) / 1048576.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static double HostTotalMiB() =>
        long.Parse(File.ReadAllLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}
