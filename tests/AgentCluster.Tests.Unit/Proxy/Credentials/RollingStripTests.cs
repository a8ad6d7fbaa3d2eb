using System.Buffers;
using System.Text;
using AgentCluster.Proxy.Credentials;

namespace AgentCluster.Tests.Unit.Proxy.Credentials;

public sealed class RollingStripTests
{
    private static readonly IReadOnlyList<(byte[] Real, byte[] Replacement)> Forms =
    [
        ("Bearer secret-value"u8.ToArray(), "Bearer STUB"u8.ToArray()),
        ("secret-value"u8.ToArray(), "STUB"u8.ToArray()),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(18)]
    [InlineData(1000)]
    public void A_secret_split_across_any_pieces_is_found_whole(int pieceSize)
    {
        var text = "x secret-value y Bearer secret-value zsecret-valuesecret-value end secret-valu";

        Assert.Equal("x STUB y Bearer STUB zSTUBSTUB end secret-valu", Fed(text, pieceSize));
    }

    [Fact]
    public void The_leftmost_match_wins_and_the_longest_at_a_tie()
    {
        Assert.Equal("a Bearer STUB b", Encoding.ASCII.GetString(RollingStrip.Apply(Forms, "a Bearer secret-value b"u8)));
    }

    [Fact]
    public void A_body_full_of_secrets_is_stripped_in_one_pass_per_form()
    {
        var text = string.Concat(Enumerable.Repeat("secret-value,", 200_000));

        var stripped = Fed(text, 16 * 1024);

        Assert.Equal(string.Concat(Enumerable.Repeat("STUB,", 200_000)), stripped);
    }

    [Fact]
    public void Bytes_that_are_no_secret_pass_as_they_came_including_a_held_tail()
    {
        byte[] data = [0xff, 0x00, .. "secret-valu"u8, 0xfe];
        Assert.Equal(data, RollingStrip.Apply(Forms, data));
    }

    private static string Fed(string text, int pieceSize)
    {
        var strip = new RollingStrip(Forms);
        var output = new ArrayBufferWriter<byte>();
        foreach (var piece in Encoding.ASCII.GetBytes(text).Chunk(pieceSize))
            strip.Next(piece, output);
        strip.End(output);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }
}
