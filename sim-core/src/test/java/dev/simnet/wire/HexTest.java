package dev.simnet.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HexTest {

    @Test
    void parsesTcpdumpDumpsPlainHexSeparatorsAndComments() {
        byte[] expected = {(byte) 0xff, (byte) 0xff, 0x02, 0x42, (byte) 0xac, 0x12};
        assertArrayEquals(expected, Hex.parse("\t0x0000:  ffff 0242 ac12\n"));
        assertArrayEquals(expected, Hex.parse("ff:ff:02:42:ac:12"));
        assertArrayEquals(expected, Hex.parse("ff-ff-02 42AC12 # a comment 0xzz"));
        assertArrayEquals(new byte[0], Hex.parse("  \n"));
    }

    @Test
    void fixtureTextEqualsTheCapturedBytes() {
        assertArrayEquals(PcapFixtures.frames().stream().filter(f -> f.length == 42 && f[0] == (byte) 0xff).findFirst().orElseThrow(),
                Fixtures.ARP_REQUEST);
    }

    @Test
    void formatAndDumpParseBack() {
        byte[] f = Fixtures.TCP_SYN;
        assertArrayEquals(f, Hex.parse(Hex.format(f)));
        assertArrayEquals(f, Hex.parse(Hex.dump(f, 0, f.length)));
        assertEquals("0242ac120001", Hex.format(f, 0, 6));
    }

    @Test
    void rejectsBadInputWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hex.parse("0x0000: 12 3g"));
        assertEquals("not a hex digit: 'g' in line '0x0000: 12 3g'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Hex.parse("123"));
    }
}
