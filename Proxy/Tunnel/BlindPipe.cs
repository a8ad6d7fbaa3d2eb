using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace AgentCluster.Proxy.Tunnel;

/// <summary>A TCP connection to exactly the checked endpoint, and the two copies that make it a tunnel.</summary>
internal sealed class BlindPipe(Socket socket) : IAsyncDisposable
{
    public static async Task<BlindPipe?> Open(IPEndPoint endpoint, TimeSpan connectTimeout)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(connectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return new BlindPipe(socket);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Copies both ways until either side closes, neither says anything for <paramref name="idle"/>,
    /// or <paramref name="ended"/> fires; the bytes each way.
    /// </summary>
    public async Task<(long Up, long Down)> Run(IDuplexPipe client, TimeSpan idle, CancellationToken ended)
    {
        using var upstream = new NetworkStream(socket, ownsSocket: false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ended);
        stop.CancelAfter(idle);
        long up = 0, down = 0;
        async Task Copy(Stream from, Stream to, Action<int> count)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
                {
                    stop.CancelAfter(idle);
                    await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                    await to.FlushAsync(stop.Token);
                    count(read);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            await stop.CancelAsync();
        }
        await Task.WhenAll(
            Copy(client.Input.AsStream(leaveOpen: true), upstream, n => up += n),
            Copy(upstream, client.Output.AsStream(leaveOpen: true), n => down += n));
        return (up, down);
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
