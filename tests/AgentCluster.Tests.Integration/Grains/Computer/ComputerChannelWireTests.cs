using System.Text.Json;
using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Computer;

namespace AgentCluster.Tests.Integration.Grains.Computer;

/// <summary>The channel's wire: oversize and torn frames, drops and reconnects, a server that does not answer.</summary>
public sealed class ComputerChannelWireTests(DesktopContainer desktop) : IClassFixture<DesktopContainer>
{
    private static readonly ComputerRequest Ping = new() { Action = ComputerActions.Ping };

    [Fact]
    public async Task An_oversize_frame_is_refused_and_the_server_stays_in_step()
    {
        await using var raw = await desktop.Engine.AttachAsync(desktop.ContainerId);
        var header = new byte[Frame.HeaderSize];
        FrameWriter.WriteHeader(header, 0xFFFF0001, FrameType.Request, Frame.MaxRequestPayload + 1);
        await raw.WriteAsync(header);
        await raw.WriteAsync(new byte[Frame.MaxRequestPayload + 1]);
        await new FrameWriter(raw, Frame.MaxRequestPayload).WriteAsync(0xFFFF0002, FrameType.Request,
            JsonSerializer.SerializeToUtf8Bytes(Ping, ProtocolJson.Default.ComputerRequest));

        var replies = await Replies(raw, 0xFFFF0001, 0xFFFF0002);
        Assert.Equal(FrameType.Error, replies[0xFFFF0001].Type);
        var error = JsonSerializer.Deserialize(replies[0xFFFF0001].Payload, ProtocolJson.Default.ComputerError)!;
        Assert.Equal(ComputerErrorCodes.Oversize, error.Code);
        Assert.Contains($"{Frame.MaxRequestPayload + 1} bytes exceeds the limit", error.Message);
        Assert.Equal(FrameType.Result, replies[0xFFFF0002].Type);
    }

    [Fact]
    public async Task A_dropped_channel_fails_what_was_in_flight_and_the_next_request_attaches_again()
    {
        var waiting = desktop.Channel.SendAsync(new ComputerRequest { Action = ComputerActions.Wait, Milliseconds = 5000 });
        // Let the wait reach the server before the drop; nothing is timed here.
        await Task.Delay(500);
        await desktop.Channel.DisconnectAsync();

        var dropped = await Assert.ThrowsAsync<ComputerChannelException>(() => waiting);
        Assert.Contains("dropped", dropped.Message);
        var moved = await desktop.Channel.SendAsync(new ComputerRequest { Action = ComputerActions.MouseMove, X = 11, Y = 12 });
        Assert.Equal((11, 12), (moved.Result!.X, moved.Result.Y));
    }

    [Fact]
    public async Task A_frame_torn_by_a_dead_attach_costs_nothing_after_the_reconnect()
    {
        await using (var raw = await desktop.Engine.AttachAsync(desktop.ContainerId))
        {
            // Half a frame, then the connection dies: the server waits for 1000 bytes it never gets.
            var header = new byte[Frame.HeaderSize];
            FrameWriter.WriteHeader(header, 0xFFFF0003, FrameType.Request, 1000);
            await raw.WriteAsync(header);
            await raw.WriteAsync("{\"action\":\"pi"u8.ToArray());
        }
        await using var channel = desktop.NewChannel(TimeSpan.FromSeconds(10));
        var moved = await channel.SendAsync(new ComputerRequest { Action = ComputerActions.MouseMove, X = 21, Y = 22 });
        Assert.Equal((21, 22), (moved.Result!.X, moved.Result.Y));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out_with_a_clear_error()
    {
        await using var channel = desktop.NewChannel(TimeSpan.FromSeconds(1));
        await channel.SendAsync(Ping);
        await desktop.Engine.PauseAsync(desktop.ContainerId);
        try
        {
            var e = await Assert.ThrowsAsync<ComputerChannelException>(() => channel.SendAsync(Ping));
            Assert.Equal($"the computer server in container {desktop.ContainerId} did not answer ping within 1 s", e.Message);
        }
        finally
        {
            await desktop.Engine.UnpauseAsync(desktop.ContainerId);
        }
        Assert.NotNull(await channel.SendAsync(Ping));
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_reply()
    {
        var moves = Enumerable.Range(0, 20).Select(i => desktop.Channel.SendAsync(new ComputerRequest { Action = ComputerActions.Screenshot, Region = new ScreenRegion(i, i, 10 + i, 10) }));
        var shots = await Task.WhenAll(moves);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 10 + i), shots.Select(s => PngImage.Decode(s.Png).Width));
    }

    private static async Task<Dictionary<uint, Frame>> Replies(Stream raw, params uint[] ids)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reader = new FrameReader(raw, Frame.MaxReplyPayload);
        var replies = new Dictionary<uint, Frame>();
        while (replies.Count < ids.Length && await reader.ReadAsync(timeout.Token) is { } frame)
        {
            if (ids.Contains(frame.Id))
                replies[frame.Id] = frame;
        }
        return replies;
    }
}
