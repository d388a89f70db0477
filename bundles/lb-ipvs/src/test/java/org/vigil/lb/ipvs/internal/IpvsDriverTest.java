package org.vigil.lb.ipvs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vigil.lb.ipvs.internal.IpvsMessages.*;
import static org.vigil.lb.ipvs.internal.Services.*;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;
import org.vigil.lb.ipvs.internal.IpvsMessages.Command;

/**
 * The driver's diff against what it last programmed, through a recording transport: each
 * apply() is one exchange of the fewest commands, and each command's bytes are those of
 * {@link IpvsMessages} (tested byte by byte in IpvsMessagesTest).
 */
class IpvsDriverTest {
    private static final int FAMILY = 0x23;
    private final RecordingTransport t = new RecordingTransport();
    private final IpvsDriver driver = new IpvsDriver(t, FAMILY);
    private final ServiceKey web = key("192.0.2.249", "tcp", 80);

    private static List<String> texts(List<Command> commands) {
        return commands.stream().map(Command::text).toList();
    }

    @Test
    void aNewServiceIsNewServiceThenEachDestinationInOneExchange() throws IOException {
        driver.apply(List.of(vs(web, "wrr", rs("192.0.2.21", 80, 3), rs("192.0.2.22", 80, 1))), List.of());
        assertEquals(1, t.exchanges.size());
        assertEquals(List.of(CMD_NEW_SERVICE, CMD_NEW_DEST, CMD_NEW_DEST), t.commands(0));
        // the bytes are the messages' own, with the resolved family id in every header
        Command first = new Command(CMD_NEW_SERVICE, IpvsPlan.service(vs(web, "wrr")), null);
        assertEquals(Hex.of(first.bytes(FAMILY, 1)), Hex.of(t.exchanges.get(0).get(0)));
    }

    @Test
    void theSamePoolAgainSendsNothing() throws IOException {
        VirtualService s = vs(web, "wrr", rs("192.0.2.21", 80, 3));
        driver.apply(List.of(s), List.of());
        driver.apply(List.of(s), List.of());
        assertEquals(1, t.exchanges.size());
    }

    @Test
    void destinationsAddedRemovedAndReweightedOnly() {
        IpvsPlan.Programmed before = IpvsPlan.of(vs(web, "wrr", rs("192.0.2.21", 80, 3), rs("192.0.2.22", 80, 1),
                rs("192.0.2.23", 80, 1)));
        IpvsPlan.Programmed after = IpvsPlan.of(vs(web, "wrr", rs("192.0.2.21", 80, 3), rs("192.0.2.22", 80, 5),
                rs("192.0.2.24", 80, 1)));
        // joiners first, then changes, then leavers: the pool never shrinks below either end mid-batch
        assertEquals(List.of("NEW_DEST [192.0.2.249]:80 [192.0.2.24]:80", "SET_DEST [192.0.2.249]:80 [192.0.2.22]:80",
                "DEL_DEST [192.0.2.249]:80 [192.0.2.23]:80"), texts(IpvsPlan.diff(before, after)));
    }

    @Test
    void schedulerOrPersistenceChangeIsSetServiceKeepingDestinations() {
        IpvsPlan.Programmed before = IpvsPlan.of(vs(web, "wrr", rs("192.0.2.21", 80, 3)));
        assertEquals(List.of("SET_SERVICE [192.0.2.249]:80"),
                texts(IpvsPlan.diff(before, IpvsPlan.of(vs(web, "rr", rs("192.0.2.21", 80, 3))))));
        assertEquals(List.of("SET_SERVICE [192.0.2.249]:80"), texts(IpvsPlan.diff(before,
                IpvsPlan.of(persistent(web, "wrr", 300, "", rs("192.0.2.21", 80, 3))))));
        IpvsPlan.Programmed sticky = IpvsPlan.of(persistent(web, "wrr", 300, "", rs("192.0.2.21", 80, 3)));
        assertEquals(List.of("SET_SERVICE [192.0.2.249]:80"), texts(IpvsPlan.diff(sticky,
                IpvsPlan.of(persistent(web, "wrr", 300, "255.255.255.0", rs("192.0.2.21", 80, 3))))));
        assertEquals(List.of("SET_SERVICE [192.0.2.249]:80"), texts(IpvsPlan.diff(before,
                IpvsPlan.of(flags(vs(web, "wrr", rs("192.0.2.21", 80, 3)), "ops")))));
    }

    @Test
    void aMethodChangeIsSetDest() {
        IpvsPlan.Programmed before = IpvsPlan.of(vs(web, "wrr", rs("192.0.2.21", 80, 3)));
        assertEquals(List.of("SET_DEST [192.0.2.249]:80 [192.0.2.21]:80"),
                texts(IpvsPlan.diff(before, IpvsPlan.of(vs(web, "wrr", rs("192.0.2.21", 80, 3, "DR"))))));
    }

    @Test
    void theSorryServerComesInBeforeTheLastRealServerLeaves() throws IOException {
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1))), List.of());
        driver.apply(List.of(sorry(web, rs("192.0.2.30", 80, 1))), List.of());
        assertEquals(List.of(CMD_NEW_DEST, CMD_DEL_DEST), t.commands(1));
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1))), List.of());
        assertEquals(List.of(CMD_NEW_DEST, CMD_DEL_DEST), t.commands(2));
    }

    @Test
    void removalsAndChangesOfSeveralServicesAreOneExchange() throws IOException {
        ServiceKey dns = key("2001:db8::53", "udp", 53);
        ServiceKey mark = ServiceKey.fwmark(7, false, "tcp");
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1)), vs(dns, "rr", rs("2001:db8::21", 53, 1)),
                vs(mark, "sh", rs("192.0.2.21", 0, 1))), List.of());
        assertEquals(List.of(CMD_NEW_SERVICE, CMD_NEW_DEST, CMD_NEW_SERVICE, CMD_NEW_DEST, CMD_NEW_SERVICE,
                CMD_NEW_DEST), t.commands(0));
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 2))), List.of(dns, mark));
        assertEquals(2, t.exchanges.size());
        assertEquals(List.of(CMD_DEL_SERVICE, CMD_DEL_SERVICE, CMD_SET_DEST), t.commands(1));
        assertEquals(List.of(web), driver.programmed().stream().map(VirtualService::key).toList());
        // removing a service the driver never programmed sends nothing
        driver.apply(List.of(), List.of(dns));
        assertEquals(2, t.exchanges.size());
    }

    @Test
    void whatAnEarlierRunLeftIsTurnedRound() throws IOException {
        // NEW_SERVICE and NEW_DEST find them there (EEXIST): SET_SERVICE and SET_DEST, in a second exchange
        t.nextErrors.put(0, -IpvsDriver.EEXIST);
        t.nextErrors.put(1, -IpvsDriver.EEXIST);
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        assertEquals(2, t.exchanges.size());
        assertEquals(List.of(CMD_SET_SERVICE, CMD_SET_DEST), t.commands(1));
    }

    @Test
    void aServiceDeletedByHandIsProgrammedWhole() throws IOException {
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1))), List.of());
        // someone ran ipvsadm -D: the next NEW_DEST answers ESRCH (no such service)
        t.nextErrors.put(0, -IpvsDriver.ESRCH);
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        assertEquals(List.of(CMD_NEW_SERVICE, CMD_NEW_DEST, CMD_NEW_DEST), t.commands(2));
    }

    @Test
    void alreadyGoneCountsAsDone() throws IOException {
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        t.nextErrors.put(0, -IpvsDriver.ENOENT); // DEL_DEST of a destination someone removed already
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1))), List.of());
        assertEquals(2, t.exchanges.size());
    }

    @Test
    void aRefusalIsThrownAndTheServiceProgrammedAfreshNextTime() throws IOException {
        t.nextErrors.put(0, -22); // EINVAL, e.g. a scheduler module the kernel lacks
        IOException e = assertThrows(IOException.class,
                () -> driver.apply(List.of(vs(web, "mh", rs("192.0.2.21", 80, 1))), List.of()));
        assertTrue(e.getMessage().contains("NEW_SERVICE [192.0.2.249]:80"), e.getMessage());
        assertEquals(List.of(), driver.programmed());
        driver.apply(List.of(vs(web, "mh", rs("192.0.2.21", 80, 1))), List.of());
        assertEquals(List.of(CMD_NEW_SERVICE, CMD_NEW_DEST), t.commands(1));
    }

    @Test
    void closeDeletesWhatThisDriverProgrammed() throws IOException {
        driver.apply(List.of(vs(web, "wlc", rs("192.0.2.21", 80, 1))), List.of());
        driver.close();
        assertEquals(List.of(CMD_DEL_SERVICE), t.commands(1));
    }

    @Test
    void refusesWhatIpvsCannotDo() {
        assertTrue(driver.refuse(vs(web, "wlc", rs("2001:db8::21", 80, 1))).isPresent());
        assertTrue(driver.refuse(vs(web, "wlc", rs("2001:db8::21", 80, 1, "TUN"))).isEmpty());
        assertTrue(driver.refuse(vs(web, "wlc", rs("192.0.2.21", 80, 1, "DR"))).isEmpty());
        assertTrue(driver.refuse(vs(key("192.0.2.249", "icmp", 0), "wlc")).isPresent());
    }
}
