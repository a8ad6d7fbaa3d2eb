namespace AgentCluster.ComputerProtocol;

/// <summary>The desktop image's screen: what the server starts Xvfb with, and what the silo checks coordinates against.</summary>
public static class DesktopScreen
{
    public const int Width = 1280;
    public const int Height = 800;
}
