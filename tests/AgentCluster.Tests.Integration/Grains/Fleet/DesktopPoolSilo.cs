using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Grains.Computer;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>The warm-pool silo, its hosts keeping a pool of <see cref="DesktopPoolSize"/> desktops.</summary>
public sealed class DesktopPoolSilo : WarmPoolSilo
{
    public const int DesktopPoolSize = 2;

    public DesktopPoolSilo()
        : base(Required(DesktopContainer.ImageVariable), DesktopPoolSize)
    {
    }

    public override SandboxSpec Spec(TimeSpan ttl) => base.Spec(ttl) with { PidsLimit = SandboxSpec.DesktopPidsLimit, Desktop = true };
}
