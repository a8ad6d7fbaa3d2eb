using System.Text;
using AgentCluster.ComputerProtocol;

namespace AgentCluster.Tests.Unit.SandboxServer.Protocol;

public sealed class FrameTests
{
    [Fact]
    public async Task Frames_round_trip_in_order_with_their_ids_and_types()
    {
        var stream = new MemoryStream();
        var writer = new FrameWriter(stream, 1024);
        await writer.WriteAsync(7, FrameType.Request, "{\"action\":\"ping\"}"u8.ToArray());
        await writer.WriteAsync(8, FrameType.Image, new byte[] { 1, 2, 3 });
        await writer.WriteAsync(9, FrameType.Result, Array.Empty<byte>());
        stream.Position = 0;

        var reader = new FrameReader(stream, 1024);
        var first = await reader.ReadAsync();
        var second = await reader.ReadAsync();
        var third = await reader.ReadAsync();
        Assert.Equal((7u, FrameType.Request, "{\"action\":\"ping\"}"), (first!.Id, first.Type, Encoding.UTF8.GetString(first.Payload)));
        Assert.Equal((8u, FrameType.Image), (second!.Id, second.Type));
        Assert.Equal(new byte[] { 1, 2, 3 }, second.Payload);
        Assert.Equal((9u, 0), (third!.Id, third.Payload.Length));
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public void The_header_is_magic_length_id_type_big_endian()
    {
        var header = new byte[Frame.HeaderSize];
        FrameWriter.WriteHeader(header, 0x01020304, FrameType.Error, 0x0A0B);
        Assert.Equal("ACP1"u8.ToArray().Concat(new byte[] { 0, 0, 0x0A, 0x0B, 1, 2, 3, 4, 4 }), header);
    }

    [Fact]
    public async Task An_oversize_frame_is_skipped_and_reported_and_the_next_one_still_reads()
    {
        var stream = new MemoryStream();
        await new FrameWriter(stream, 100_000).WriteAsync(1, FrameType.Request, new byte[70_000]);
        await new FrameWriter(stream, 100).WriteAsync(2, FrameType.Request, "{}"u8.ToArray());
        stream.Position = 0;

        var reader = new FrameReader(stream, 1000);
        var e = await Assert.ThrowsAsync<OversizeFrameException>(async () => await reader.ReadAsync());
        Assert.Equal(1u, e.Id);
        Assert.Contains("70000 bytes exceeds the limit of 1000", e.Message);
        Assert.Equal(2u, (await reader.ReadAsync())!.Id);
    }

    [Fact]
    public async Task A_writer_refuses_a_payload_over_its_bound()
    {
        var writer = new FrameWriter(new MemoryStream(), 10);
        await Assert.ThrowsAsync<OversizeFrameException>(() => writer.WriteAsync(1, FrameType.Request, new byte[11]));
    }

    [Fact]
    public async Task A_torn_frame_flushed_with_zeros_costs_only_that_frame()
    {
        var stream = new MemoryStream();
        var whole = new MemoryStream();
        await new FrameWriter(whole, 1000).WriteAsync(1, FrameType.Request, new byte[200]);
        // A writer died 20 bytes into frame 1; the next one flushes, then writes frame 2.
        stream.Write(whole.ToArray().AsSpan(0, 20));
        stream.Write(new byte[1000 + Frame.HeaderSize]);
        await new FrameWriter(stream, 1000).WriteAsync(2, FrameType.Request, "{}"u8.ToArray());
        stream.Position = 0;

        var reader = new FrameReader(stream, 1000);
        var torn = await reader.ReadAsync();
        var next = await reader.ReadAsync();
        Assert.Equal(1u, torn!.Id);
        Assert.All(torn.Payload.Skip(7), b => Assert.Equal(0, b));
        Assert.Equal(2u, next!.Id);
        Assert.True(reader.SkippedBytes > 0);
    }

    [Fact]
    public async Task Concurrent_writes_never_interleave()
    {
        var stream = new MemoryStream();
        var writer = new FrameWriter(stream, 1 << 20);
        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() => writer.WriteAsync((uint)i, FrameType.Image, Enumerable.Repeat((byte)i, 10_000 + i).ToArray()))));
        stream.Position = 0;

        var reader = new FrameReader(stream, 1 << 20);
        var seen = new HashSet<uint>();
        while (await reader.ReadAsync() is { } frame)
        {
            Assert.Equal(10_000 + (int)frame.Id, frame.Payload.Length);
            Assert.All(frame.Payload, b => Assert.Equal((byte)frame.Id, b));
            seen.Add(frame.Id);
        }
        Assert.Equal(50, seen.Count);
        Assert.Equal(0, reader.SkippedBytes);
    }

    [Fact]
    public async Task A_stream_that_ends_inside_a_frame_is_an_end_of_stream_error()
    {
        var stream = new MemoryStream();
        await new FrameWriter(stream, 100).WriteAsync(1, FrameType.Request, new byte[50]);
        var reader = new FrameReader(new MemoryStream(stream.ToArray()[..30]), 100);
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync());
    }
}
