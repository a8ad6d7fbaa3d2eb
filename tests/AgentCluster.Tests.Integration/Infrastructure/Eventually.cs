using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Integration.Infrastructure;

internal static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var until = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    public static Task Healthy(IDockerHostGrain host) =>
        True(async () => (await host.GetStatus())?.Health == HostHealth.Healthy, $"host {host.GetPrimaryKeyString()} to be Healthy");
}
