using System.Runtime.InteropServices;

namespace AgentCluster.ComputerServer.Input;

/// <summary>
/// The few Xlib and XTest calls the server makes. Xlib is not thread-safe as used here, so
/// every call goes through <see cref="XConnection"/>, which serialises them.
/// </summary>
internal static unsafe partial class Xlib
{
    private const string X11 = "libX11.so.6";
    private const string Xtst = "libXtst.so.6";

    [LibraryImport(X11, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint XOpenDisplay(string? name);

    [LibraryImport(X11)]
    public static partial int XCloseDisplay(nint display);

    [LibraryImport(X11)]
    public static partial nint XDefaultRootWindow(nint display);

    [LibraryImport(X11)]
    public static partial int XFlush(nint display);

    [LibraryImport(X11)]
    public static partial int XSync(nint display, int discard);

    [LibraryImport(X11)]
    public static partial int XQueryPointer(nint display, nint window, out nint root, out nint child,
        out int rootX, out int rootY, out int winX, out int winY, out uint mask);

    [LibraryImport(X11, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nuint XStringToKeysym(string name);

    [LibraryImport(X11)]
    public static partial int XQueryTree(nint display, nint window, out nint root, out nint parent, out nint* children, out uint count);

    /// <summary>Fills an XWindowAttributes (136 bytes on x86_64; see <see cref="WindowAttributes"/>).</summary>
    [LibraryImport(X11)]
    public static partial int XGetWindowAttributes(nint display, nint window, byte* attributes);

    [LibraryImport(X11)]
    public static partial int XDisplayKeycodes(nint display, out int min, out int max);

    [LibraryImport(X11)]
    public static partial nuint* XGetKeyboardMapping(nint display, byte first, int count, out int keysymsPerKeycode);

    [LibraryImport(X11)]
    public static partial int XChangeKeyboardMapping(nint display, int first, int keysymsPerKeycode, nuint* keysyms, int count);

    [LibraryImport(X11)]
    public static partial int XFree(void* data);

    [LibraryImport(X11)]
    public static partial nint XSetErrorHandler(delegate* unmanaged<nint, nint, int> handler);

    [LibraryImport(Xtst)]
    public static partial int XTestFakeMotionEvent(nint display, int screen, int x, int y, nuint delay);

    [LibraryImport(Xtst)]
    public static partial int XTestFakeButtonEvent(nint display, uint button, int isPress, nuint delay);

    [LibraryImport(Xtst)]
    public static partial int XTestFakeKeyEvent(nint display, uint keycode, int isPress, nuint delay);

    public const nuint NoSymbol = 0;

    /// <summary>Where XWindowAttributes keeps what the server needs, on x86_64 (LP64).</summary>
    public static class WindowAttributes
    {
        public const int Size = 136;
        public const int Width = 8;
        public const int Height = 12;
        public const int MapState = 92;
        public const int IsViewable = 2;
    }
}
