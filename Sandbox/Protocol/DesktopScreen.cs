namespace AgentCluster.ComputerProtocol;

/// <summary>The desktop image's screen: what the server starts Xvfb with, and what the silo checks coordinates against.</summary>
public static class DesktopScreen
{
    public const int Width = 1280;
    public const int Height = 800;

    /// <summary>
    /// A point of the page area, off the middle where Xvfb draws the pointer at start: white once
    /// the browser's start page (about:blank) is drawn, what the server's ready waits for.
    /// </summary>
    public const int BlankX = Width / 4, BlankY = Height * 3 / 4;
}
