using System.Text;
using AgentCluster.ComputerServer.Input;

namespace AgentCluster.Tests.Unit.SandboxServer.Input;

public sealed class KeyNamesTests
{
    [Theory]
    [InlineData("ctrl+l", new[] { "Control_L", "l" })]
    [InlineData("CTRL+Shift+t", new[] { "Control_L", "Shift_L", "t" })]
    [InlineData("Return", new[] { "Return" })]
    [InlineData("enter", new[] { "Return" })]
    [InlineData("alt+f4", new[] { "Alt_L", "F4" })]
    [InlineData("super", new[] { "Super_L" })]
    [InlineData("pagedown", new[] { "Next" })]
    [InlineData("KP_Enter", new[] { "KP_Enter" })]
    [InlineData("+", new[] { "plus" })]
    public void Combinations_become_keysym_names_in_press_order(string combination, string[] expected) =>
        Assert.Equal(expected, KeyNames.Parse(combination, out _));

    [Theory]
    [InlineData("ctrl+")]
    [InlineData("ctrl++l")]
    [InlineData("")]
    public void An_empty_part_is_refused_with_a_reason(string combination)
    {
        Assert.Null(KeyNames.Parse(combination, out var error));
        Assert.Contains("empty part", error);
    }

    [Theory]
    [InlineData("a", 0x61)]
    [InlineData("~", 0x7e)]
    [InlineData("é", 0xe9)]
    [InlineData("€", 0x010020ac)]
    [InlineData("😀", 0x0101f600)]
    [InlineData("\n", 0xff0d)]
    [InlineData("\t", 0xff09)]
    public void Characters_map_to_their_keysyms(string text, long keysym) =>
        Assert.Equal((nuint)keysym, KeyNames.ForCharacter(text.EnumerateRunes().Single()));

    [Fact]
    public void Other_control_characters_type_nothing() =>
        Assert.Null(KeyNames.ForCharacter(new Rune(0x07)));
}
