using System.Net;
using System.Net.Sockets;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// Ports for the processes the tests start (silos, proxies), which bind them some time after the
/// pick. They come from below the kernel's range for outgoing connections: a port from that range,
/// free when checked, can become the local end of any connection (the tests make thousands) before
/// the process binds it, and the process then dies of "address already in use". Handed out in turn
/// from a random start, so one is not given twice while its first owner may still be starting.
/// Above Orleans' TestCluster ranges (up to 30000), which the cluster tier uses at the same time.
/// </summary>
public static class FreePort
{
    private const int First = 30_000;
    // A kernel whose outgoing range reaches this low leaves no such ports: then the old default's edge.
    private static readonly int Last = OutgoingRangeStart() - 1 is var below && below > First + 1000 ? Math.Min(32_767, below) : 32_767;
    private static readonly Lock Gate = new();
    private static int _next = First + Random.Shared.Next(Last - First);

    /// <summary>A loopback port nobody listens on right now, and no outgoing connection will take.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var tried = 0; tried <= Last - First; tried++)
            {
                var port = _next;
                _next = _next >= Last ? First : _next + 1;
                if (IsFree(port))
                    return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port in {First}-{Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int OutgoingRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start)
            ? start
            : 32_768;
    }
}
