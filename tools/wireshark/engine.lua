-- ENGINE (hand-written; tools/wireshark/engine.lua). It reads only GEN, the generated data above.
--
-- Decodes the 0x99 IP frame (clear fields, checksum marked when bad), its plaintext section
-- (decrypted here with the kantech.key preference, or carried by a protolab decrypted twin as a
-- 0x9A frame), every command's data, reload record and event, and the serial loop's frames
-- (protolab captures carry them on UDP port 18899). AES-128 is implemented below in plain Lua
-- (FIPS-197), because Wireshark 4.0's Lua API has no cipher.

local bit = bit32

local kantech = Proto("kantech", "Kantech kt-v1 (protolab)")
local kantech_serial = Proto("kantech_serial", "Kantech serial loop (protolab capture)")
local C = GEN.constants
local V = GEN.variable
local COMMANDS = GEN.enums[GEN.names.command]

-- Fields -------------------------------------------------------------------------------------

local F = {}
local UINTS = {uint8 = ProtoField.uint8, uint16 = ProtoField.uint16, uint24 = ProtoField.uint24,
               uint32 = ProtoField.uint32}
local INTS = {int8 = ProtoField.int8, int16 = ProtoField.int16}

local function make_field(abbrev, label, kind, hex, enum_name)
    local values = enum_name and GEN.enums[enum_name] or nil
    if UINTS[kind] then return UINTS[kind](abbrev, label, hex and base.HEX or base.DEC, values) end
    if INTS[kind] then return INTS[kind](abbrev, label, base.DEC) end
    if kind == "none" then return ProtoField.none(abbrev, label) end
    if kind == "text" or kind == "bcd" then return ProtoField.string(abbrev, label) end
    if kind == "ipv4" then return ProtoField.ipv4(abbrev, label) end
    if kind == "ether" then return ProtoField.ether(abbrev, label) end
    return ProtoField.bytes(abbrev, label)
end

for _, d in ipairs(GEN.fields) do F[d[1]] = make_field(d[1], d[2], d[3], d[4], d[5]) end
local STATUS = {[0] = "Bad", [1] = "Good", [2] = "Unverified"}
F["kantech.checksum"] = ProtoField.uint16("kantech.checksum", "Checksum", base.HEX)
F["kantech.checksum.status"] = ProtoField.uint8("kantech.checksum.status", "Checksum status",
                                                base.DEC, STATUS)
F["kantech.checksum.computed"] = ProtoField.uint16("kantech.checksum.computed",
                                                   "Computed checksum", base.HEX)
F["kantech.ciphertext"] = ProtoField.bytes("kantech.ciphertext", "Encrypted section")
F["kantech.plaintext"] = ProtoField.none("kantech.plaintext", "Plaintext section")
F["kantech.padding"] = ProtoField.bytes("kantech.padding", "Padding")
F["kantech.undecoded"] = ProtoField.bytes("kantech.undecoded", "Undecoded bytes")
F["kantech.serial.checksum.status"] = ProtoField.uint8("kantech.serial.checksum.status",
                                                       "Checksum status", base.DEC, STATUS)

local all_fields = {}
for _, field in pairs(F) do all_fields[#all_fields + 1] = field end
kantech.fields = all_fields

local E = {
    bad_checksum = ProtoExpert.new("kantech.checksum.bad", "Bad checksum",
                                   expert.group.CHECKSUM, expert.severity.ERROR),
    bad_length = ProtoExpert.new("kantech.length.bad",
                                 "Length field does not give 4 + 16k + 2 bytes (k >= 1)",
                                 expert.group.MALFORMED, expert.severity.ERROR),
    too_long = ProtoExpert.new("kantech.length.too_long", "Frame longer than 4096 bytes",
                               expert.group.MALFORMED, expert.severity.ERROR),
    truncated = ProtoExpert.new("kantech.truncated", "Frame cut short",
                                expert.group.MALFORMED, expert.severity.ERROR),
    no_key = ProtoExpert.new("kantech.no_key",
                             "Encrypted: set the kantech.key preference to decrypt",
                             expert.group.DECRYPTION, expert.severity.NOTE),
    bad_key = ProtoExpert.new("kantech.key.bad",
                              "The kantech.key preference is over 16 characters or not ASCII",
                              expert.group.DECRYPTION, expert.severity.WARN),
    wrong_key = ProtoExpert.new("kantech.wrong_key",
                                "Validation field is not 0x3021: made with another key",
                                expert.group.DECRYPTION, expert.severity.WARN),
    unknown_command = ProtoExpert.new("kantech.command.unknown",
                                      "Command code not in WIRE.md section 3",
                                      expert.group.MALFORMED, expert.severity.WARN),
    malformed = ProtoExpert.new("kantech.malformed", "Data does not fit the command's layout",
                                expert.group.MALFORMED, expert.severity.ERROR),
    bad_padding = ProtoExpert.new("kantech.padding.bad",
                                  "Padding is not fewer than 16 zero bytes",
                                  expert.group.MALFORMED, expert.severity.ERROR),
    serial_checksum = ProtoExpert.new("kantech.serial.checksum.bad", "Bad serial checksum",
                                      expert.group.CHECKSUM, expert.severity.ERROR),
    serial_bad = ProtoExpert.new("kantech.serial.malformed", "Not a serial frame",
                                 expert.group.MALFORMED, expert.severity.ERROR),
    undecoded = ProtoExpert.new("kantech.undecoded.expert", "Bytes that start no frame",
                                expert.group.UNDECODED, expert.severity.WARN),
}
local all_experts = {}
for _, e in pairs(E) do all_experts[#all_experts + 1] = e end
kantech.experts = all_experts

-- Preferences ---------------------------------------------------------------------------------

kantech.prefs.key = Pref.string("AES key", "",
    "The site's key text (at most 16 ASCII characters, right-padded with zeros): frames are "
    .. "decrypted when it is set")
kantech.prefs.aes_mode = Pref.enum("AES mode", 1, "WIRE.md profile: AES-128 mode",
    {{1, "cbc-zero-iv", 1}, {2, "ecb", 2}}, false)
kantech.prefs.checksum = Pref.enum("Checksum", 1, "WIRE.md profile: frame checksum",
    {{1, "crc16-ccitt-false", 1}, {2, "sum16", 2}}, false)
kantech.prefs.udp_ports = Pref.range("UDP ports", C.udp_ports, "UDP ports of 0x99 frames", 65535)
kantech.prefs.tcp_port = Pref.uint("TCP port", C.tcp_port, "TCP port of 0x99 frame streams")
kantech.prefs.serial_port = Pref.uint("Serial capture UDP port", C.serial_port,
    "UDP port protolab captures carry serial-loop bytes on")

-- Checksums and AES-128 -------------------------------------------------------------------------

local function checksum_of(bytes, count)
    if kantech.prefs.checksum == 2 then
        local sum = 0
        for i = 0, count - 1 do sum = sum + bytes:get_index(i) end
        return sum % 65536
    end
    local crc = 0xFFFF
    for i = 0, count - 1 do
        crc = bit.bxor(crc, bit.lshift(bytes:get_index(i), 8))
        for _ = 1, 8 do
            if bit.band(crc, 0x8000) ~= 0 then
                crc = bit.band(bit.bxor(bit.lshift(crc, 1), 0x1021), 0xFFFF)
            else
                crc = bit.band(bit.lshift(crc, 1), 0xFFFF)
            end
        end
    end
    return crc
end

local function xtime(a)
    a = bit.lshift(a, 1)
    if a > 255 then a = bit.bxor(a, 0x11B) end
    return a
end

local function gmul(a, b)
    local p = 0
    while b > 0 do
        if bit.band(b, 1) ~= 0 then p = bit.bxor(p, a) end
        a, b = xtime(a), bit.rshift(b, 1)
    end
    return p
end

-- the S-box from its definition: multiplicative inverse in GF(2^8), then the affine map
local SBOX, INV_SBOX, M9, M11, M13, M14 = {}, {}, {}, {}, {}, {}
do
    local exp, log, x = {}, {}, 1
    for i = 0, 254 do
        exp[i], log[x] = x, i
        x = bit.bxor(x, xtime(x))
    end
    for a = 0, 255 do
        local inverse = (a == 0) and 0 or exp[(255 - log[a]) % 255]
        local s, r = inverse, inverse
        for _ = 1, 4 do
            r = bit.band(bit.bor(bit.lshift(r, 1), bit.rshift(r, 7)), 0xFF)
            s = bit.bxor(s, r)
        end
        s = bit.bxor(s, 0x63)
        SBOX[a], INV_SBOX[s] = s, a
        M9[a], M11[a], M13[a], M14[a] = gmul(a, 9), gmul(a, 11), gmul(a, 13), gmul(a, 14)
    end
end

local function expand_key(key)
    local rk, rcon = {}, 1
    for i = 0, 15 do rk[i] = key[i] end
    for i = 16, 175, 4 do
        local t0, t1, t2, t3 = rk[i - 4], rk[i - 3], rk[i - 2], rk[i - 1]
        if i % 16 == 0 then
            t0, t1, t2, t3 = bit.bxor(SBOX[t1], rcon), SBOX[t2], SBOX[t3], SBOX[t0]
            rcon = xtime(rcon)
        end
        rk[i], rk[i + 1] = bit.bxor(rk[i - 16], t0), bit.bxor(rk[i - 15], t1)
        rk[i + 2], rk[i + 3] = bit.bxor(rk[i - 14], t2), bit.bxor(rk[i - 13], t3)
    end
    return rk
end

local function decrypt_block(rk, s)
    for i = 0, 15 do s[i] = bit.bxor(s[i], rk[160 + i]) end
    local t = {}
    for round = 9, 0, -1 do
        for c = 0, 3 do
            for r = 0, 3 do t[r + 4 * c] = s[r + 4 * ((c - r) % 4)] end
        end
        for i = 0, 15 do s[i] = bit.bxor(INV_SBOX[t[i]], rk[16 * round + i]) end
        if round > 0 then
            for c = 0, 12, 4 do
                local a0, a1, a2, a3 = s[c], s[c + 1], s[c + 2], s[c + 3]
                s[c] = bit.bxor(M14[a0], M11[a1], M13[a2], M9[a3])
                s[c + 1] = bit.bxor(M9[a0], M14[a1], M11[a2], M13[a3])
                s[c + 2] = bit.bxor(M13[a0], M9[a1], M14[a2], M11[a3])
                s[c + 3] = bit.bxor(M11[a0], M13[a1], M9[a2], M14[a3])
            end
        end
    end
end

local key_cache = {text = nil, rk = nil}

local function round_keys()
    local text = kantech.prefs.key
    if text == nil or text == "" then return nil end
    if key_cache.text ~= text then
        if #text > 16 or text:find("[\128-\255]") then return false end
        local key = {}
        for i = 0, 15 do key[i] = (i < #text) and text:byte(i + 1) or 0 end
        key_cache.text, key_cache.rk = text, expand_key(key)
    end
    return key_cache.rk
end

-- the plaintext of a whole-block section, as a ByteArray
local function decrypt(rk, section)
    local out, previous, state = ByteArray.new(), {}, {}
    out:set_size(section:len())
    local cbc = kantech.prefs.aes_mode ~= 2
    for i = 0, 15 do previous[i] = 0 end
    for block = 0, section:len() - 16, 16 do
        local cipher = {}
        for i = 0, 15 do
            cipher[i] = section:get_index(block + i)
            state[i] = cipher[i]
        end
        decrypt_block(rk, state)
        for i = 0, 15 do
            out:set_index(block + i, cbc and bit.bxor(state[i], previous[i]) or state[i])
        end
        previous = cipher
    end
    return out
end

-- Layout walker ---------------------------------------------------------------------------------

local function label(name) return (name:gsub("_", " "):gsub("^%l", string.upper)) end

local function text_of(range)
    local raw = range:string()
    local stop = raw:find("\0", 1, true)
    return stop and raw:sub(1, stop - 1) or raw
end

local function add_leaf(tree, tvb, off, node)
    local range = tvb(off, node.s)
    local item
    if node.t == "text" then
        item = tree:add(F[node.a], range, text_of(range))
    elseif node.t == "bcd" then
        item = tree:add(F[node.a], range, (range:bytes():tohex(true):gsub("f+$", "")))
    else
        item = tree:add(F[node.a], range)
    end
    if node.fl then
        local value, names = range:uint(), {}
        for _, flag in ipairs(GEN.flags[node.fl]) do
            if bit.band(value, flag[1]) == flag[1] then names[#names + 1] = flag[2] end
        end
        item:append_text(" (" .. (#names > 0 and table.concat(names, ", ") or "none") .. ")")
    end
end

local function add_node(tree, tvb, base_off, node)
    local off = base_off + node.o
    if node.t == "struct" then
        local sub = tree:add(tvb(off, node.s), label(node.n))
        for _, child in ipairs(node.f) do add_node(sub, tvb, off, child) end
    elseif node.t == "array" then
        local sub = tree:add(tvb(off, node.s), label(node.n) .. " [" .. node.c .. "]")
        local size = node.s / node.c
        for i = 0, node.c - 1 do
            local element = node.el
            if element.t == "struct" then
                local entry = sub:add(tvb(off + i * size, size), label(node.n) .. " " .. (i + 1))
                for _, child in ipairs(element.f) do add_node(entry, tvb, off + i * size, child) end
            else
                add_node(sub, tvb, off + i * size, element)
            end
        end
    else
        add_leaf(tree, tvb, off, node)
    end
end

-- nodes of a layout under its scope's item (kantech.<scope>), or straight into tree
local function add_layout(tree, tvb, off, layout, text)
    local root = tree
    if layout.scope ~= "" then
        root = tree:add(F["kantech." .. layout.scope], tvb(off, layout.size))
        if text then root:append_text(": " .. text) end
    end
    for _, node in ipairs(layout.nodes) do add_node(root, tvb, off, node) end
    return root
end

local function enum_name(enum, value)
    return GEN.enums[enum][value] or string.format("0x%02x", value)
end

-- Command data ------------------------------------------------------------------------------------

-- bytes of a command's data at off (the plaintext says no length: the layout does), or nil
local function measure(cmd, tvb, off, avail)
    if GEN.no_data[cmd] then return 0 end
    if GEN.commands[cmd] then return GEN.commands[cmd].size end
    if cmd == V.RELOAD_RECORDS then
        if avail < 2 then return nil end
        local record = GEN.records[tvb(off, 1):uint()]
        return record and 2 + tvb(off + 1, 1):uint() * record.size or nil
    elseif cmd == V.MANUAL_OP_REPLY then
        local n = 0
        while n + GEN.result.size <= avail and tvb(off + n, 1):uint() ~= 0 do
            n = n + GEN.result.size
        end
        return n
    elseif cmd == V.EVENT then
        local header = GEN.event_timestamp.size + GEN.event_header.size
        if avail <= header then return nil end
        local row = GEN.event_types[tvb(off + header, 1):uint()]
        return row and header + GEN.event_rows[row].size or nil
    elseif cmd == V.TUNNEL then
        local n = 0
        while n < avail and tvb(off + n, 1):uint() ~= 0 do
            if tvb(off + n, 1):uint() >= C.presence_flag then
                n = n + 1
            elseif n + 3 <= avail then
                n = n + C.serial_overhead + tvb(off + n + 2, 1):uint()
            else
                break
            end
        end
        return n
    end
    return nil
end

local dissect_serial_items

-- the data of cmd (size bytes at off) into tree; returns a short text for the Info column
local function dissect_data(tree, tvb, off, size, cmd, pinfo)
    local fixed = GEN.commands[cmd]
    if fixed then
        add_layout(tree, tvb, off, fixed)
        return ""
    elseif cmd == V.RELOAD_RECORDS then
        local record_type = tvb(off, 1):uint()
        local record = GEN.records[record_type]
        add_layout(tree, tvb, off, GEN.reload_header)
        local count = tvb(off + 1, 1):uint()
        for i = 0, count - 1 do
            add_layout(tree, tvb, off + 2 + i * record.size, record,
                       enum_name(GEN.names.record, record_type) .. " " .. (i + 1))
        end
        return " " .. count .. " x " .. enum_name(GEN.names.record, record_type)
    elseif cmd == V.MANUAL_OP_REPLY then
        for i = 0, size / GEN.result.size - 1 do
            add_layout(tree, tvb, off + i * GEN.result.size, GEN.result)
        end
        return ""
    elseif cmd == V.EVENT then
        local header = GEN.event_timestamp.size + GEN.event_header.size
        local code = tvb(off + header, 1):uint()
        local root = tree:add(F["kantech.event"], tvb(off, size))
        root:append_text(": " .. enum_name(GEN.names.event, code))
        add_layout(root, tvb, off, GEN.event_timestamp)
        for _, node in ipairs(GEN.event_header.nodes) do
            add_node(root, tvb, off + GEN.event_timestamp.size, node)
        end
        for _, node in ipairs(GEN.event_rows[GEN.event_types[code]].nodes) do
            add_node(root, tvb, off + header, node)
        end
        return " " .. enum_name(GEN.names.event, code)
    elseif cmd == V.TUNNEL then
        local infos = dissect_serial_items(tvb, pinfo, tree, off, size)
        return " [" .. table.concat(infos, ", ") .. "]"
    end
    return ""
end

-- Serial frames -------------------------------------------------------------------------------------

dissect_serial_items = function(tvb, pinfo, tree, off, len)
    local stop, infos = off + len, {}
    while off < stop do
        local first = tvb(off, 1):uint()
        if first > C.presence_flag then
            local item = tree:add(F["kantech.serial.presence"], tvb(off, 1),
                                  first - C.presence_flag)
            item:append_text(" (controller " .. (first - C.presence_flag)
                             .. " has nothing to send)")
            infos[#infos + 1] = "PRESENCE " .. (first - C.presence_flag)
            off = off + 1
        elseif first == 0 or first == C.presence_flag or stop - off < C.serial_overhead
                or off + C.serial_overhead + tvb(off + 2, 1):uint() > stop then
            local item = tree:add(F["kantech.undecoded"], tvb(off, stop - off))
            item:add_proto_expert_info(E.serial_bad)
            break
        else
            local length = tvb(off + 2, 1):uint()
            local total = C.serial_overhead + length
            local cmd = tvb(off + 1, 1):uint()
            local frame = tree:add(F["kantech.serial"], tvb(off, total))
            frame:append_text(": " .. enum_name(GEN.names.command, cmd) .. " to/from " .. first)
            frame:add(F["kantech.serial.address"], tvb(off, 1))
            local command_item = frame:add(F["kantech.serial.command"], tvb(off + 1, 1))
            frame:add(F["kantech.serial.length"], tvb(off + 2, 1))
            local info = enum_name(GEN.names.command, cmd) .. " " .. first
            if length > 0 then frame:add(F["kantech.serial.data"], tvb(off + 3, length)) end
            if not COMMANDS[cmd] then
                command_item:add_proto_expert_info(E.unknown_command)
            elseif measure(cmd, tvb, off + 3, length) ~= length then
                frame:add_proto_expert_info(E.malformed)
            elseif length > 0 then
                info = info .. dissect_data(frame, tvb, off + 3, length, cmd, pinfo)
            end
            local sum = 0
            for i = off, off + total - 1 do sum = sum + tvb(i, 1):uint() end
            local check = frame:add(F["kantech.serial.checksum"], tvb(off + total - 1, 1))
            local good = sum % 256 == 0
            frame:add(F["kantech.serial.checksum.status"], tvb(off + total - 1, 1),
                      good and 1 or 0):set_generated()
            if not good then check:add_proto_expert_info(E.serial_checksum) end
            infos[#infos + 1] = info
            off = off + total
        end
    end
    return infos
end

-- IP frames --------------------------------------------------------------------------------------------

-- the plaintext section (tvb from its first byte) into tree; returns the Info text
local function dissect_plain(tvb, pinfo, tree)
    for _, node in ipairs(GEN.plain.nodes) do add_node(tree, tvb, 0, node) end
    if tvb(0, 2):uint() ~= C.validation then
        tree:add_proto_expert_info(E.wrong_key)
        return "wrong key"
    end
    local cmd = tvb(C.plain_header - 1, 1):uint()
    local info = string.format("%s seq=%d event=%d", enum_name(GEN.names.command, cmd),
                               tvb(8, 2):uint(), tvb(10, 4):uint())
    local avail = tvb:len() - C.plain_header
    if not COMMANDS[cmd] then
        tree:add_proto_expert_info(E.unknown_command)
        return info
    end
    local size = measure(cmd, tvb, C.plain_header, avail)
    if size == nil or size > avail or avail - size >= 16 then
        tree:add_proto_expert_info(E.malformed)
        return info
    end
    info = info .. dissect_data(tree, tvb, C.plain_header, size, cmd, pinfo)
    if avail > size then
        local padding = tvb(C.plain_header + size, avail - size)
        local item = tree:add(F["kantech.padding"], padding)
        for i = 0, avail - size - 1 do
            if padding:bytes():get_index(i) ~= 0 then
                item:add_proto_expert_info(E.bad_padding)
                break
            end
        end
    end
    return info
end

-- one frame at off: returns bytes used and the Info text, or nil and the bytes still missing
local function dissect_frame(tvb, pinfo, tree, off)
    local avail = tvb:len() - off
    if avail < C.outer_header then return nil, C.outer_header - avail end
    local sync, total = tvb(off, 1):uint(), tvb(off + 1, 2):uint() + 3
    local cipher_len = total - C.outer_header - C.checksum_size
    if total > C.max_frame or cipher_len < 16 or cipher_len % 16 ~= 0 then
        local item = tree:add(kantech, tvb(off, avail))
        add_layout(item, tvb, off, GEN.outer)
        item:add_proto_expert_info(total > C.max_frame and E.too_long or E.bad_length)
        return avail, "bad length"
    end
    if avail < total then return nil, total - avail end
    local item = tree:add(kantech, tvb(off, total))
    add_layout(item, tvb, off, GEN.outer)
    local section = tvb(off + C.outer_header, cipher_len)
    local check_range = tvb(off + total - C.checksum_size, C.checksum_size)
    local check_item = item:add(F["kantech.checksum"], check_range)
    local info
    if sync == C.decrypted_sync then
        item:add(F["kantech.checksum.status"], check_range, 2):set_generated()
        local plain = item:add(F["kantech.plaintext"], section)
        plain:append_text(" (decrypted capture: checksum covers the encrypted bytes)")
        info = dissect_plain(section:tvb(), pinfo, plain)
    else
        local computed = checksum_of(tvb(off, total - C.checksum_size):bytes(),
                                     total - C.checksum_size)
        local good = computed == check_range:uint()
        item:add(F["kantech.checksum.status"], check_range, good and 1 or 0):set_generated()
        if not good then
            item:add(F["kantech.checksum.computed"], check_range, computed):set_generated()
            check_item:add_proto_expert_info(E.bad_checksum)
        end
        local rk = round_keys()
        if rk then
            local plain_bytes = decrypt(rk, section:bytes())
            local plain = item:add(F["kantech.plaintext"], section)
            plain:append_text(" (decrypted with the kantech.key preference)")
            info = dissect_plain(plain_bytes:tvb("Decrypted Kantech frame"), pinfo, plain)
        else
            item:add(F["kantech.ciphertext"], section)
            item:add_proto_expert_info(rk == false and E.bad_key or E.no_key)
            info = "encrypted"
        end
        if not good then info = info .. " [bad checksum]" end
    end
    item:append_text(", site " .. tvb(off + 3, 4):uint() .. ": " .. info)
    return total, info
end

function kantech.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "Kantech"
    local off, infos = 0, {}
    while off < tvb:len() do
        local first = tvb(off, 1):uint()
        if first ~= C.sync and first ~= C.decrypted_sync then
            local item = tree:add(F["kantech.undecoded"], tvb(off))
            item:add_proto_expert_info(E.undecoded)
            break
        end
        local used, info = dissect_frame(tvb, pinfo, tree, off)
        if used == nil then
            if pinfo.can_desegment > 0 then
                pinfo.desegment_offset, pinfo.desegment_len = off, info
                return
            end
            tree:add(F["kantech.undecoded"], tvb(off)):add_proto_expert_info(E.truncated)
            break
        end
        infos[#infos + 1] = info
        off = off + used
    end
    pinfo.cols.info = table.concat(infos, ", ")
    return tvb:len()
end

function kantech_serial.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "Kantech serial"
    local root = tree:add(kantech_serial, tvb())
    pinfo.cols.info = table.concat(dissect_serial_items(tvb, pinfo, root, 0, tvb:len()), ", ")
    return tvb:len()
end

-- Ports --------------------------------------------------------------------------------------------

local registered = {}

local function register_ports()
    local udp, tcp = DissectorTable.get("udp.port"), DissectorTable.get("tcp.port")
    if registered.udp then
        udp:remove(registered.udp, kantech)
        tcp:remove(registered.tcp, kantech)
        udp:remove(registered.serial, kantech_serial)
    end
    registered = {udp = tostring(kantech.prefs.udp_ports), tcp = kantech.prefs.tcp_port,
                  serial = kantech.prefs.serial_port}
    udp:add(registered.udp, kantech)
    tcp:add(registered.tcp, kantech)
    udp:add(registered.serial, kantech_serial)
end

function kantech.prefs_changed() register_ports() end

register_ports()
